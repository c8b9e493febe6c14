{#
  DfE CIN census rules on a plan of a child starting within another of the child's plans of
  the other kind, on the census year's return as the export writes it (models/marts/cin_census),
  as DfE's validator reads them (across all the child's episodes):
    4016  a CIN plan starting on or after a CP plan's start and before its end (or while it
          is still open)
    4017  a CP plan starting on or after a CIN plan's start and before its end (or while it
          is still open)
  Placed at the plan that starts within the other. The child's other CIN-and-CP-plan rules
  (4001, 4003) are int_dq_dfe_cin_and_cp_plans.
#}
with

census as (
    select la_code, census_year, reference_date from {{ ref('int_dq_census_period') }}
),
plans as (
    select plan_type, la_code, census_year, child_key, referral_id, plan_id, plan_start_date, plan_end_date
    from {{ ref('int_dq_dfe_census_plans') }}
),
cin_plans as (
    select la_code, census_year, child_key, referral_id, plan_id as cin_plan_id, plan_start_date, plan_end_date
    from plans
    where plan_type = 'cin'
),
cp_plans as (
    select la_code, census_year, child_key, referral_id, plan_id as cp_plan_id, plan_start_date, plan_end_date
    from plans
    where plan_type = 'cp'
),
cin_in_cp as (
    select cin_plans.la_code, cin_plans.census_year, cin_plans.cin_plan_id, cin_plans.plan_start_date
    from cin_plans
    inner join cp_plans
        on cp_plans.la_code = cin_plans.la_code
        and cp_plans.census_year = cin_plans.census_year
        and cp_plans.child_key = cin_plans.child_key
    inner join census
        on census.la_code = cin_plans.la_code
        and census.census_year = cin_plans.census_year
    where cin_plans.plan_start_date >= cp_plans.plan_start_date
      and (cin_plans.plan_start_date < cp_plans.plan_end_date
           or cp_plans.plan_end_date is null and cin_plans.plan_start_date <= census.reference_date)
),
cp_in_cin as (
    select cp_plans.la_code, cp_plans.census_year, cp_plans.cp_plan_id, cp_plans.plan_start_date
    from cp_plans
    inner join cin_plans
        on cin_plans.la_code = cp_plans.la_code
        and cin_plans.census_year = cp_plans.census_year
        and cin_plans.child_key = cp_plans.child_key
    inner join census
        on census.la_code = cp_plans.la_code
        and census.census_year = cp_plans.census_year
    where cp_plans.plan_start_date >= cin_plans.plan_start_date
      and (cp_plans.plan_start_date < cin_plans.plan_end_date
           or cin_plans.plan_end_date is null and cp_plans.plan_start_date <= census.reference_date)
),
failures as (
    select distinct la_code, census_year, 'ssd_cin_plans' as table_name, cin_plan_id as record_id,
           'cinp_cin_plan_start_date' as column_name, '4016' as rule_code,
           cast(plan_start_date as {{ dbt.type_string() }}) as value_seen
    from cin_in_cp
    union all
    select distinct la_code, census_year, 'ssd_cp_plans', cp_plan_id, 'cppl_cp_plan_start_date', '4017',
           cast(plan_start_date as {{ dbt.type_string() }})
    from cp_in_cin
),

{{ csc_dfe_rule_output('failures') }}
