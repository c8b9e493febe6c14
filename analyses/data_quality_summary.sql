-- Data quality of the published extract: problems per council, table, rule and severity
-- (dq_summary), with each table's row reconciliation (raw rows = staged + quarantined).
-- Drill into dq_issues for the landing file and line of each problem.
select
    s.la_code,
    s.table_name,
    s.severity,
    s.rule_code,
    s.issue_count,
    s.rows_affected,
    r.raw_rows,
    round(100.0 * s.rows_affected / nullif(r.raw_rows, 0), 2) as pct_of_rows,
    r.quarantined_rows,
    r.balances as rows_reconcile
from marts.dq_summary as s
left join marts.dq_reconciliation as r
    on r.la_code = s.la_code and r.table_name = s.table_name
order by
    s.la_code asc,
    case s.severity when 'error' then 1 when 'warn' then 2 else 3 end asc,
    s.issue_count desc,
    s.table_name asc,
    s.rule_code asc;
