{#
  dbt.datediff on Spark, for the date parts the project uses, with DuckDB's meaning: the
  number of part boundaries crossed between the two dates (date_diff). dbt-spark 1.11 counts
  months with months_between plus a "boundary crossed" correction that double counts between
  two month ends (31 Jan -> 29 Feb gave 2); the calendar parts are counted here instead.
  tests/cross_db/assert_date_arithmetic_examples.sql pins both engines to the same answers.
#}
{% macro spark__datediff(first_date, second_date, datepart) -%}
    {%- if datepart == 'day' -%}
        datediff(date({{ second_date }}), date({{ first_date }}))
    {%- elif datepart in ('month', 'quarter', 'year') -%}
        {%- set per_year = {'month': 12, 'quarter': 4, 'year': 1}[datepart] -%}
        {%- set part = {'month': 'month', 'quarter': 'quarter', 'year': none}[datepart] -%}
        ((year({{ second_date }}) - year({{ first_date }})) * {{ per_year }}
        {%- if part %} + ({{ part }}({{ second_date }}) - {{ part }}({{ first_date }})){% endif %})
    {%- else -%}
        {{ exceptions.raise_compiler_error("datediff on Spark: date part '" ~ datepart ~ "' is not used by this project") }}
    {%- endif -%}
{%- endmacro %}
