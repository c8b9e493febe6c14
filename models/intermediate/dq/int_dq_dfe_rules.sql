{#
  Every DfE CIN census validation rule failure, one row per failing record: the union of the
  rule families (date order, overlaps, linkage, timeliness, child identifiers, child details,
  episode modules, assessment factors, plan and conference dates, CIN plan overlaps,
  dates of death, episode closure, module overlaps). Severity is always warn: DfE rules
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

child_identifier_failures as (
    select * from {{ ref('int_dq_dfe_child_identifiers') }}
),

episode_module_failures as (
    select * from {{ ref('int_dq_dfe_episode_modules') }}
),

child_detail_failures as (
    select * from {{ ref('int_dq_dfe_child_details') }}
),

assessment_factor_failures as (
    select * from {{ ref('int_dq_dfe_assessment_factors') }}
),

plan_and_conference_date_failures as (
    select * from {{ ref('int_dq_dfe_plan_and_conference_dates') }}
),

cin_plan_overlap_failures as (
    select * from {{ ref('int_dq_dfe_cin_plan_overlaps') }}
),

date_of_death_failures as (
    select * from {{ ref('int_dq_dfe_dates_of_death') }}
),

episode_closure_failures as (
    select * from {{ ref('int_dq_dfe_episode_closure') }}
),

module_overlap_failures as (
    select * from {{ ref('int_dq_dfe_module_overlaps') }}
),

-- a rule whose optional inputs the extract lacks says so once per council instead
-- (int_dq_dfe_rule_availability; marts.dq_census_readiness)
not_evaluable as (
    select la_code, rule_code from {{ ref('int_dq_dfe_rule_availability') }} where not can_evaluate
),

rule_failures as (
    select la_code, table_name, record_id, column_name, rule_code, severity, message, value_seen, rule_source from date_order_failures
    union all
    select la_code, table_name, record_id, column_name, rule_code, severity, message, value_seen, rule_source from overlap_failures
    union all
    select la_code, table_name, record_id, column_name, rule_code, severity, message, value_seen, rule_source from linkage_failures
    union all
    select la_code, table_name, record_id, column_name, rule_code, severity, message, value_seen, rule_source from timeliness_failures
    union all
    select la_code, table_name, record_id, column_name, rule_code, severity, message, value_seen, rule_source from child_identifier_failures
    union all
    select la_code, table_name, record_id, column_name, rule_code, severity, message, value_seen, rule_source from episode_module_failures
    union all
    select la_code, table_name, record_id, column_name, rule_code, severity, message, value_seen, rule_source from child_detail_failures
    union all
    select la_code, table_name, record_id, column_name, rule_code, severity, message, value_seen, rule_source from assessment_factor_failures
    union all
    select la_code, table_name, record_id, column_name, rule_code, severity, message, value_seen, rule_source from plan_and_conference_date_failures
    union all
    select la_code, table_name, record_id, column_name, rule_code, severity, message, value_seen, rule_source from cin_plan_overlap_failures
    union all
    select la_code, table_name, record_id, column_name, rule_code, severity, message, value_seen, rule_source from date_of_death_failures
    union all
    select la_code, table_name, record_id, column_name, rule_code, severity, message, value_seen, rule_source from episode_closure_failures
    union all
    select la_code, table_name, record_id, column_name, rule_code, severity, message, value_seen, rule_source from module_overlap_failures
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
where not exists (
    select 1
    from not_evaluable
    where not_evaluable.la_code = rule_failures.la_code
      and not_evaluable.rule_code = rule_failures.rule_code
)
