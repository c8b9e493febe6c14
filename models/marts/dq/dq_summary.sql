{#
  dq_issues counted per council, table, rule and severity: how many problems and on how many
  landing lines, for the data-quality page of the report. issue_kind is what the problem
  means for the figures (doc block dq_issue_kind), decided here once: the report and Power BI
  read it. When the build ran is the publish manifest's to say, not a column here.
#}
with

issues as (
    select la_code, table_name, source_file, line_number, rule_code, severity, rule_source
    from {{ ref('dq_issues') }}
),

rule_types as (
    select rule_code, rule_type from {{ ref('int_dq_rule_types') }}
),

counted as (
    select
        la_code,
        table_name,
        rule_code,
        severity,
        rule_source,
        count(*) as issue_count,
        -- A line can fail one rule on two columns (two INVALID_DATEs): count it once.
        count(distinct source_file || ':' || cast(line_number as {{ dbt.type_string() }})) as rows_affected
    from issues
    group by la_code, table_name, rule_code, severity, rule_source
),

-- A DfE rule's type is the seed's (int_dq_rule_types), never read from its code's suffix.
kinds as (
    select
        counted.la_code,
        counted.table_name,
        counted.rule_code,
        counted.severity,
        counted.rule_source,
        case
            when counted.severity = 'error' then 'quarantined'
            when counted.rule_source = 'dfe' and rule_types.rule_type = 'query' then 'dfe_query'
            when counted.rule_source = 'dfe' then 'dfe_error'
            else 'warning'
        end as issue_kind,
        counted.issue_count,
        counted.rows_affected
    from counted
    left join rule_types
        on rule_types.rule_code = counted.rule_code
),

final as (
    select
        cast(la_code as {{ dbt.type_string() }}) as la_code,
        cast(table_name as {{ dbt.type_string() }}) as table_name,
        cast(rule_code as {{ dbt.type_string() }}) as rule_code,
        cast(severity as {{ dbt.type_string() }}) as severity,
        cast(rule_source as {{ dbt.type_string() }}) as rule_source,
        cast(issue_kind as {{ dbt.type_string() }}) as issue_kind,
        cast(issue_count as bigint) as issue_count,
        cast(rows_affected as bigint) as rows_affected
    from kinds
)

select
    la_code,
    table_name,
    rule_code,
    severity,
    rule_source,
    issue_kind,
    issue_count,
    rows_affected
from final
