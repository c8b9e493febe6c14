{#
  The plans the DfE rules on a child's CIN plans against its CP plans check (4001, 4003,
  4016, 4017): each CIN and CP plan of the census year's return (models/marts/cin_census;
  int_dq_census_period chooses the year) placed in an episode of a known child, with the
  child, so that a rule can compare plans across all the child's episodes as DfE's
  validator does. plan_type says which kind; plan_id is the plan's own id.
#}
with

episodes as (
    select la_code, census_year, referral_id, child_key
    from {{ ref('cin_census_episodes') }}
    where has_person
),

cin_plans as (
    select la_code, census_year, referral_id, cin_plan_id as plan_id, plan_start_date, plan_end_date
    from {{ ref('cin_census_cin_plans') }}
),

cp_plans as (
    select la_code, census_year, referral_id, cp_plan_id as plan_id, plan_start_date, plan_end_date
    from {{ ref('cin_census_cp_plans') }}
),

plans as (
    select 'cin' as plan_type, la_code, census_year, referral_id, plan_id, plan_start_date, plan_end_date
    from cin_plans
    union all
    select 'cp' as plan_type, la_code, census_year, referral_id, plan_id, plan_start_date, plan_end_date
    from cp_plans
),

placed as (
    select
        plans.plan_type,
        plans.la_code,
        plans.census_year,
        episodes.child_key,
        plans.referral_id,
        plans.plan_id,
        plans.plan_start_date,
        plans.plan_end_date
    from plans
    inner join episodes
        on episodes.la_code = plans.la_code
        and episodes.census_year = plans.census_year
        and episodes.referral_id = plans.referral_id
)

select
    plan_type,
    la_code,
    census_year,
    child_key,
    referral_id,
    plan_id,
    plan_start_date,
    plan_end_date
from placed
