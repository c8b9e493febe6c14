{#
  The project's YAML names types as DuckDB does (contracts' data_type, seeds' column_types):
  varchar, integer, bigint, double, boolean, date, timestamp. Spark knows all of them except a
  bare varchar (it wants a length); its text type is string. dbt casts the contract's types
  through dbt.cast, so on Spark that cast maps them.
#}
{% macro csc_spark_type(type) -%}
    {{ return('string' if (type | string | trim | lower) in ('varchar', 'text') else type) }}
{%- endmacro %}

{% macro spark__cast(field, type) -%}
    cast({{ field }} as {{ csc_spark_type(type) }})
{%- endmacro %}
