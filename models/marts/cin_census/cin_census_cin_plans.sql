{#
  The CINPlanDates of each census year's return (the 2022 schema onwards has them): plans
  started on or before the ReferenceDate and not ended before 1 April, placed in their
  episode; an end after the ReferenceDate is not shown.
#}
with

plans as (
    select la_code, cin_plan_id, plan_start_date, plan_end_date from {{ ref('stg_ssd__cin_plans') }}
),

placements as (
    select la_code, census_year, record_id, referral_id, has_known_episode
    from {{ ref('int_cin_census_placements') }}
    where module = 'cin_plan'
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
        plans.cin_plan_id,
        plans.plan_start_date,
        case when census_years.is_as_given or plans.plan_end_date <= census_years.reference_date
            then plans.plan_end_date end as plan_end_date
    from placements
    inner join plans
        on plans.la_code = placements.la_code
        and plans.cin_plan_id = placements.record_id
    inner join census_years
        on census_years.la_code = placements.la_code
        and census_years.census_year = placements.census_year
    where census_years.is_as_given
       or plans.plan_start_date <= census_years.reference_date
       and (plans.plan_end_date is null or plans.plan_end_date >= census_years.census_start_date)
)

select la_code, census_year, referral_id, has_known_episode, cin_plan_id, plan_start_date, plan_end_date
from final
