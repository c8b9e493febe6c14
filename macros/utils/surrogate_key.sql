{#
  A deterministic key from several columns (dbt_utils.generate_surrogate_key's idea, written
  here because the dbt package hub is out of reach). Nulls become a marker so (a, null) and
  (null, a) differ. Portable: dbt.hash and dbt.concat are dbt's cross-database macros.
#}
{% macro surrogate_key(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- do parts.append("coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), '_null_')") -%}
        {%- if not loop.last %}{% do parts.append("'-'") %}{% endif -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}
