{#
  DfE CIN census rules on a child's CIN plans against its CP plans, on the census year's
  return as the export writes it (models/marts/cin_census), as DfE's validator reads them
  (across all the child's episodes unless said):
    4001  an open CIN plan in an episode that also holds an open CP plan
    4003  a CP review (not on its plan's end day, the plan ended) on or after a CIN plan's
          start and before its end
  Placed at the CIN plan. A plan starting within another of the other kind (4016, 4017) is
  int_dq_dfe_plans_within_plans.
#}
with

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
cp_reviews as (
    select cp_plans.la_code, cp_plans.census_year, cp_plans.child_key, reviews.review_date
    from {{ ref('cin_census_cp_reviews') }} as reviews
    inner join cp_plans
        on cp_plans.la_code = reviews.la_code
        and cp_plans.census_year = reviews.census_year
        and cp_plans.cp_plan_id = reviews.cp_plan_id
    where cp_plans.plan_end_date is not null
      and reviews.review_date <> cp_plans.plan_end_date
),
open_with_open_cp as (
    select cin_plans.la_code, cin_plans.census_year, cin_plans.cin_plan_id, cin_plans.plan_start_date
    from cin_plans
    inner join cp_plans
        on cp_plans.la_code = cin_plans.la_code
        and cp_plans.census_year = cin_plans.census_year
        and cp_plans.referral_id = cin_plans.referral_id
    where cin_plans.plan_end_date is null
      and cp_plans.plan_end_date is null
),
reviews_in_cin as (
    select cin_plans.la_code, cin_plans.census_year, cin_plans.cin_plan_id, cp_reviews.review_date
    from cin_plans
    inner join cp_reviews
        on cp_reviews.la_code = cin_plans.la_code
        and cp_reviews.census_year = cin_plans.census_year
        and cp_reviews.child_key = cin_plans.child_key
    where cp_reviews.review_date >= cin_plans.plan_start_date
      and cp_reviews.review_date < cin_plans.plan_end_date
),
failures as (
    select distinct la_code, census_year, 'ssd_cin_plans' as table_name, cin_plan_id as record_id,
           'cinp_cin_plan_end_date' as column_name, '4001' as rule_code,
           cast(plan_start_date as {{ dbt.type_string() }}) as value_seen
    from open_with_open_cp
    union all
    select distinct la_code, census_year, 'ssd_cin_plans', cin_plan_id, 'cinp_cin_plan_start_date', '4003',
           cast(review_date as {{ dbt.type_string() }})
    from reviews_in_cin
),

{{ csc_dfe_rule_output('failures') }}
