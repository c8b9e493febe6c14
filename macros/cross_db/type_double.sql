{# A double-precision float (dbt.type_float() is single precision on DuckDB). #}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'csc')()) }}
{%- endmacro %}

{% macro spark__type_double() -%}double{%- endmacro %}

{% macro duckdb__type_double() -%}double{%- endmacro %}
