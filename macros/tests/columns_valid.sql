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

  Same rules as dbt's built-in tests: not_null fails on a null; unique fails on a non-null
  value that occurs more than once; accepted_values fails on a non-null value outside the list
  (strings are quoted, numbers and booleans are not). Returns one row per failing
  (check, column, value) with the number of rows that fail, so a failure still names the
  column and the rule it broke. Checks that need a config (severity, where) stay as their own
  tests; CONTRIBUTING.md "Tests" states the convention and scripts/tests/test_columns_valid.py
  checks it.
#}
{% test columns_valid(model, not_null=[], unique=[], accepted_values={}) %}
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
{%- if not parts -%}
  {{ exceptions.raise_compiler_error("columns_valid on " ~ model ~ ": give at least one of not_null, unique, accepted_values") }}
{%- endif -%}
{{ parts | join('\nunion all\n') }}
{% endtest %}
