{#
  The ChildProtectionPlans of each census year's return: plans started on or before the
  ReferenceDate and not ended before 1 April, placed in their episode; an end after the
  ReferenceDate is not shown. NumberOfPreviousCPP is the greater of the warehouse's count of
  the child's earlier plans (fct_cp_plans.previous_plan_count) and the source's recorded count,
  since an extract may not reach back to a child's first plan. A missing latest category takes
  the initial one (is_latest_category_filled). A temporary plan held for another council
  (SSD cppl_cp_plan_ola) is that council's to return, as it is left out of every plan count
  here (fct_cp_plans): it is not in the return, nor are its reviews.
#}
with

plans as (
    select la_code, cp_plan_id, plan_start_date, plan_end_date, initial_category_code,
           latest_category_code, recorded_previous_cpp_count
    from {{ ref('stg_ssd__cp_plans') }}
    where not coalesce(is_other_la_plan, false)
),

plan_facts as (
    select la_code, cp_plan_id, previous_plan_count from {{ ref('fct_cp_plans') }}
),

placements as (
    select la_code, census_year, record_id, referral_id, has_known_episode
    from {{ ref('int_cin_census_placements') }}
    where module = 'cp_plan'
),

census_years as (
    select la_code, census_year, census_start_date, reference_date, is_as_given
    from {{ ref('int_cin_census_years') }}
),

final as (
    select
        placements.la_code,
        placements.census_year,
        placements.referral_id,
        placements.has_known_episode,
        plans.cp_plan_id,
        plans.plan_start_date,
        case when census_years.is_as_given or plans.plan_end_date <= census_years.reference_date
            then plans.plan_end_date end as plan_end_date,
        plans.initial_category_code,
        coalesce(plans.latest_category_code, plans.initial_category_code) as latest_category_code,
        plans.latest_category_code is null and plans.initial_category_code is not null
            as is_latest_category_filled,
        greatest(coalesce(plan_facts.previous_plan_count, 0), coalesce(plans.recorded_previous_cpp_count, 0))
            as number_of_previous_cpp
    from placements
    inner join plans
        on plans.la_code = placements.la_code
        and plans.cp_plan_id = placements.record_id
    inner join census_years
        on census_years.la_code = placements.la_code
        and census_years.census_year = placements.census_year
    left join plan_facts
        on plan_facts.la_code = plans.la_code
        and plan_facts.cp_plan_id = plans.cp_plan_id
    where census_years.is_as_given
       or plans.plan_start_date <= census_years.reference_date
       and (plans.plan_end_date is null or plans.plan_end_date >= census_years.census_start_date)
)

select
    la_code, census_year, referral_id, has_known_episode, cp_plan_id, plan_start_date,
    plan_end_date, initial_category_code, latest_category_code, is_latest_category_filled,
    number_of_previous_cpp
from final
