{#
  The data-quality panel's totals, one row per council in the build (zeros when a council's
  extract has no problem): rows quarantined, DfE rule failures, DfE queries and other
  warnings, summed from dq_summary by its issue_kind. Quarantine counts rows (a row left out
  of the figures once, whatever it failed); the others count problems.
#}
with

summary as (
    select la_code, issue_kind, issue_count, rows_affected from {{ ref('dq_summary') }}
),

councils as (
    select distinct la_code from {{ ref('int_dq_table_counts') }}
),

totals as (
    select
        councils.la_code,
        coalesce(sum(case when summary.issue_kind = 'quarantined' then summary.rows_affected end), 0)
            as quarantined_rows,
        coalesce(sum(case when summary.issue_kind = 'dfe_error' then summary.issue_count end), 0)
            as dfe_rule_errors,
        coalesce(sum(case when summary.issue_kind = 'dfe_query' then summary.issue_count end), 0)
            as dfe_rule_queries,
        coalesce(sum(case when summary.issue_kind = 'warning' then summary.issue_count end), 0)
            as other_warnings
    from councils
    left join summary
        on summary.la_code = councils.la_code
    group by councils.la_code
),

final as (
    select
        cast(la_code as {{ dbt.type_string() }}) as la_code,
        cast(quarantined_rows as bigint) as quarantined_rows,
        cast(dfe_rule_errors as bigint) as dfe_rule_errors,
        cast(dfe_rule_queries as bigint) as dfe_rule_queries,
        cast(other_warnings as bigint) as other_warnings
    from totals
)

select
    la_code,
    quarantined_rows,
    dfe_rule_errors,
    dfe_rule_queries,
    other_warnings
from final
