{#
  The CPPreviewDate of each census year's return: distinct review dates within the year of the
  plans the return holds (placed in an episode).
#}
with

plans as (
    select la_code, census_year, cp_plan_id
    from {{ ref('cin_census_cp_plans') }}
    where referral_id is not null
),

reviews as (
    select la_code, cp_plan_id, review_date from {{ ref('stg_ssd__cp_reviews') }}
),

census_years as (
    select la_code, census_year, census_start_date, reference_date, is_as_given
    from {{ ref('int_cin_census_years') }}
)

select distinct
    plans.la_code,
    plans.census_year,
    plans.cp_plan_id,
    reviews.review_date
from plans
inner join reviews
    on reviews.la_code = plans.la_code
    and reviews.cp_plan_id = plans.cp_plan_id
inner join census_years
    on census_years.la_code = plans.la_code
    and census_years.census_year = plans.census_year
where census_years.is_as_given
   or reviews.review_date between census_years.census_start_date and census_years.reference_date
