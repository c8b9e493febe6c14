{#
  Every DfE CIN census validation rule failure, one row per failing record: the union of the
  rule groups (date order, overlaps, linkage, timeliness). Severity is always warn: DfE rules
  describe the census return, and a failure never stops the build or drops a row.
#}
with

date_order_failures as (
    select * from {{ ref('int_dq_dfe_date_order') }}
),

overlap_failures as (
    select * from {{ ref('int_dq_dfe_overlaps') }}
),

linkage_failures as (
    select * from {{ ref('int_dq_dfe_linkage') }}
),

timeliness_failures as (
    select * from {{ ref('int_dq_dfe_timeliness') }}
),

rule_failures as (
    select la_code, table_name, record_id, column_name, rule_code, severity, message, value_seen, rule_source from date_order_failures
    union all
    select la_code, table_name, record_id, column_name, rule_code, severity, message, value_seen, rule_source from overlap_failures
    union all
    select la_code, table_name, record_id, column_name, rule_code, severity, message, value_seen, rule_source from linkage_failures
    union all
    select la_code, table_name, record_id, column_name, rule_code, severity, message, value_seen, rule_source from timeliness_failures
)

select
    la_code,
    table_name,
    record_id,
    column_name,
    rule_code,
    severity,
    message,
    value_seen,
    rule_source
from rule_failures
