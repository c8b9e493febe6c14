{#
  Seeds on Spark: dbt-spark 1.11's own seed macros with two changes.
  - Column types pass through csc_spark_type: the YAML says `varchar` (the project's text
    type, as DuckDB names it); Spark wants a length with varchar, and its text type is string.
  - Values are written as SQL literals here. dbt-spark's session method binds each value as
    '<python str()>' unescaped, so an empty cell became the text 'None' and an apostrophe
    broke the statement.
#}
{% macro csc_spark_literal(value) -%}
    {%- if value is none -%}null
    {%- elif value is boolean -%}{{ 'true' if value else 'false' }}
    {%- elif value is number -%}{{ value }}
    {%- else -%}'{{ (value | string) | replace('\\', '\\\\') | replace("'", "\\'") }}'
    {%- endif -%}
{%- endmacro %}

{% macro spark__create_csv_table(model, agate_table) %}
  {%- set column_override = model['config'].get('column_types', {}) -%}
  {%- set quote_seed_column = model['config'].get('quote_columns', None) -%}

  {% set sql %}
    create table {{ this.render() }} (
        {%- for col_name in agate_table.column_names -%}
            {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
            {%- set type = csc_spark_type(column_override.get(col_name, inferred_type)) -%}
            {%- set column_name = (col_name | string) -%}
            {{ adapter.quote_seed_column(column_name, quote_seed_column) }} {{ type }} {%- if not loop.last -%}, {%- endif -%}
        {%- endfor -%}
    )
    {{ file_format_clause() }}
    {{ partition_cols(label="partitioned by") }}
    {{ clustered_cols(label="clustered by") }}
    {{ location_clause() }}
    {{ comment_clause() }}
  {% endset %}

  {% call statement('_') -%}
    {{ sql }}
  {%- endcall %}

  {{ return(sql) }}
{% endmacro %}

{% macro spark__load_csv_rows(model, agate_table) %}
  {% set batch_size = get_batch_size() %}
  {% set column_override = model['config'].get('column_types', {}) %}
  {% set statements = [] %}
  {#- Each column's cast once; the rows of a batch as one JSON text (one string literal) that
      Spark explodes at run time. A VALUES list of 10,000 rows kept Spark's parser and analyser
      busy for minutes (ref_dfe_benchmarks, 54,532 rows: 553 s). Every value travels as the
      text dbt read from the CSV (agate's value as a string, as csc_spark_literal writes it)
      and is cast to its column's type, as before. -#}
  {% set casts = [] %}
  {% for col_name in agate_table.column_names %}
      {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
      {%- set type = csc_spark_type(column_override.get(col_name, inferred_type)) -%}
      {%- do casts.append('cast(seed_row[' ~ loop.index0 ~ '] as ' ~ type ~ ')') -%}
  {% endfor %}

  {% for chunk in agate_table.rows | batch(batch_size) %}
      {%- set rows = [] -%}
      {%- for row in chunk -%}
          {%- set values = [] -%}
          {%- for value in row -%}
              {%- if value is none -%}{%- do values.append(none) -%}
              {%- elif value is boolean -%}{%- do values.append('true' if value else 'false') -%}
              {%- else -%}{%- do values.append(value | string) -%}
              {%- endif -%}
          {%- endfor -%}
          {%- do rows.append(values) -%}
      {%- endfor -%}
      {% set sql %}
          insert into {{ this.render() }}
          select {{ casts | join(', ') }}
          from (select explode(from_json({{ csc_spark_literal(tojson(rows)) }}, 'array<array<string>>')) as seed_row) as seed_rows
      {% endset %}

      {% do adapter.add_query(sql, abridge_sql_log=True) %}

      {% if loop.index0 == 0 %}
          {% do statements.append(sql) %}
      {% endif %}
  {% endfor %}

  {{ return(statements[0]) }}
{% endmacro %}
