{#
  Join the non-null texts with '; ' (null when all are null). concat_ws skips nulls on
  DuckDB, Postgres, Spark and Snowflake alike; the nullif turns "nothing to say" into null.
#}
{% macro concat_ws_compat(parts, separator="; ") -%}
    nullif(concat_ws('{{ separator }}', {{ parts | join(', ') }}), '')
{%- endmacro %}
