{#
  dq_issues counted per council, table, rule and severity: how many problems and on how many
  landing lines, for the data-quality page of the report. built_at says when.
#}
with

issues as (
    select la_code, table_name, source_file, line_number, rule_code, severity
    from {{ ref('dq_issues') }}
),

counted as (
    select
        la_code,
        table_name,
        rule_code,
        severity,
        count(*) as issue_count,
        -- A line can fail one rule on two columns (two INVALID_DATEs): count it once.
        count(distinct source_file || ':' || cast(line_number as {{ dbt.type_string() }})) as rows_affected
    from issues
    group by la_code, table_name, rule_code, severity
),

final as (
    select
        cast(la_code as {{ dbt.type_string() }}) as la_code,
        cast(table_name as {{ dbt.type_string() }}) as table_name,
        cast(rule_code as {{ dbt.type_string() }}) as rule_code,
        cast(severity as {{ dbt.type_string() }}) as severity,
        cast(issue_count as bigint) as issue_count,
        cast(rows_affected as bigint) as rows_affected,
        cast({{ dbt.current_timestamp() }} as timestamp) as built_at
    from counted
)

select
    la_code,
    table_name,
    rule_code,
    severity,
    issue_count,
    rows_affected,
    built_at
from final
