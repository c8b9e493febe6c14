{#
  Every DfE CIN census validation rule failure, one row per failing record: the union of the
  rule family models (seed dfe_cin_rule_models says which family raises which rule; the test
  test_referee.py checks every family there is unioned here). Severity is always warn: DfE
  rules describe the census return, and a failure never stops the build or drops a row.
#}
{%- set families = [
    'int_dq_dfe_dates_before_referral',
    'int_dq_dfe_dates_in_order',
    'int_dq_dfe_child_overlaps',
    'int_dq_dfe_open_modules',
    'int_dq_dfe_nfa_activity',
    'int_dq_dfe_plan_conference_link',
    'int_dq_dfe_timeliness',
    'int_dq_dfe_child_identifiers',
    'int_dq_dfe_upn_format',
    'int_dq_dfe_child_details',
    'int_dq_dfe_episode_modules',
    'int_dq_dfe_assessment_factors',
    'int_dq_dfe_plan_and_conference_dates',
    'int_dq_dfe_cin_plan_overlaps',
    'int_dq_dfe_cin_and_cp_plans',
    'int_dq_dfe_dates_of_death',
    'int_dq_dfe_episode_closure',
    'int_dq_dfe_module_overlaps',
    'int_dq_dfe_disabilities',
    'int_dq_dfe_codes',
    'int_dq_dfe_episode_flags',
    'int_dq_dfe_census_year_dates',
    'int_dq_dfe_plan_counts',
    'int_dq_dfe_plans_within_plans',
    'int_dq_dfe_census_values',
    'int_dq_dfe_episode_activity',
    'int_dq_dfe_return_counts',
    'int_dq_dfe_return_header',
    'int_dq_dfe_assessment_completion',
    'int_dq_dfe_return_children',
] %}
with

rule_failures as (
    {%- for family in families %}
    select la_code, table_name, record_id, column_name, rule_code, severity, message, value_seen, rule_source
    from {{ ref(family) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

-- a rule whose optional inputs the extract lacks says so once per council instead
-- (int_dq_dfe_rule_availability; marts.dq_census_readiness)
not_evaluable as (
    select la_code, rule_code from {{ ref('int_dq_dfe_rule_availability') }} where not can_evaluate
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
