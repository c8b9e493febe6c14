{#
  A model's plain column checks in one test (one dbt node, one query) instead of one node per
  column and check: dbt spends ~80 ms of Python on every node, so a rerun's time went mostly to
  the per-column not_null / unique / accepted_values tests, not to their SQL.

    data_tests:
      - columns_valid:
          arguments:
            not_null: [la_code, child_key]
            unique: [child_key]
            accepted_values:
              period_type: [month, quarter, fytd, fy]
            unique_combinations: [[la_code, month_start]]
            expressions:
              - "value >= 0"
              - {expression: "value <= 100", where_clause: "unit = 'percent'"}

  Same rules as dbt's built-in tests: not_null fails on a null; unique fails on a non-null
  value that occurs more than once; accepted_values fails on a non-null value outside the list
  (strings are quoted, numbers and booleans are not); unique_combinations fails on a
  combination of columns that occurs more than once (nulls included, as
  unique_combination_of_columns); expressions fails on a row where the SQL boolean is not true
  (null counts as false), optionally only among rows where where_clause holds (as
  expression_is_true). Returns one row per failing
  (check, column, value) with the number of rows that fail, so a failure still names the
  column and the rule it broke (for a combination: the columns joined by ', ' and the values
  joined by '|'; for an expression: the expression itself). Each part is a plain
  select ... from ... where / group by / having, so it runs on Spark as on DuckDB. Checks that need a config (severity, where) stay as their own
  tests; CONTRIBUTING.md "Tests" states the convention and scripts/tests/test_columns_valid.py
  checks it.
#}
{% test columns_valid(model, not_null=[], unique=[], accepted_values={}, unique_combinations=[], expressions=[]) %}
{%- set string_type = dbt.type_string() -%}
{%- set parts = [] -%}
{%- for column in not_null -%}
  {%- do parts.append(
    "select 'not_null' as check_name, '" ~ column ~ "' as column_name, cast(null as " ~ string_type ~ ") as failing_value, count(*) as failing_rows"
    ~ " from " ~ model ~ " where " ~ column ~ " is null having count(*) > 0"
  ) -%}
{%- endfor -%}
{%- for column in unique -%}
  {%- do parts.append(
    "select 'unique' as check_name, '" ~ column ~ "' as column_name, cast(" ~ column ~ " as " ~ string_type ~ ") as failing_value, count(*) as failing_rows"
    ~ " from " ~ model ~ " where " ~ column ~ " is not null group by " ~ column ~ " having count(*) > 1"
  ) -%}
{%- endfor -%}
{%- for column, values in accepted_values.items() -%}
  {%- set rendered = [] -%}
  {%- for value in values -%}
    {%- if value is string -%}
      {%- do rendered.append("'" ~ value | replace("'", "''") ~ "'") -%}
    {%- else -%}
      {%- do rendered.append(value | string | lower) -%}
    {%- endif -%}
  {%- endfor -%}
  {%- do parts.append(
    "select 'accepted_values' as check_name, '" ~ column ~ "' as column_name, cast(" ~ column ~ " as " ~ string_type ~ ") as failing_value, count(*) as failing_rows"
    ~ " from " ~ model ~ " where " ~ column ~ " is not null and " ~ column ~ " not in (" ~ rendered | join(', ') ~ ") group by " ~ column
  ) -%}
{%- endfor -%}
{%- for columns in unique_combinations -%}
  {%- set shown = [] -%}
  {%- for column in columns -%}
    {%- if not loop.first -%}{%- do shown.append("'|'") -%}{%- endif -%}
    {%- do shown.append("coalesce(cast(" ~ column ~ " as " ~ string_type ~ "), 'null')") -%}
  {%- endfor -%}
  {%- do parts.append(
    "select 'unique_combination' as check_name, '" ~ columns | join(', ') ~ "' as column_name, " ~ dbt.concat(shown) ~ " as failing_value, count(*) as failing_rows"
    ~ " from " ~ model ~ " group by " ~ columns | join(', ') ~ " having count(*) > 1"
  ) -%}
{%- endfor -%}
{%- for entry in expressions -%}
  {%- set expression = entry if entry is string else entry['expression'] -%}
  {%- set where_clause = none if entry is string else entry.get('where_clause') -%}
  {%- do parts.append(
    "select 'expression' as check_name, '" ~ expression | replace("'", "''") ~ "' as column_name, cast(null as " ~ string_type ~ ") as failing_value, count(*) as failing_rows"
    ~ " from " ~ model ~ " where not coalesce((" ~ expression ~ "), false)"
    ~ (" and (" ~ where_clause ~ ")" if where_clause else "") ~ " having count(*) > 0"
  ) -%}
{%- endfor -%}
{%- if not parts -%}
  {{ exceptions.raise_compiler_error("columns_valid on " ~ model ~ ": give at least one of not_null, unique, accepted_values, unique_combinations, expressions") }}
{%- endif -%}
{{ parts | join('\nunion all\n') }}
{% endtest %}
