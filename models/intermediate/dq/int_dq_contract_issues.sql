{#
  Part A of marts.dq_issues: one row per failed row check of the raw contract
  (ssd_row_checks: malformed lines, blank required values, repeated keys, bad dates, flags,
  whole numbers and JSON, orphans), for every landing row of every contract table. The base
  models count the same checks into _error_count / _warning_count, so the two agree by
  construction (tests/dq/assert_contract_issues_match_base_counts.sql holds them to it).
#}

with

contract_issues as (
    {{ dq_contract_issues() }}
)

select
    la_code,
    table_name,
    source_file,
    line_number,
    record_id,
    child_key,
    column_name,
    rule_code,
    severity,
    message,
    value_seen,
    rule_source
from contract_issues
