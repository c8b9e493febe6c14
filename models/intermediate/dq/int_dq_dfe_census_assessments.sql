{#
  The assessments the DfE rules on assessments check: each assessment of the census year's
  return (models/marts/cin_census; int_dq_census_period chooses the year) placed in an
  episode of a known child, with the census dates, the episode's reason for closure and how
  many assessments the episode holds.
#}
with

census as (
    select la_code, census_year, census_start_date, ruleset_year from {{ ref('int_dq_census_period') }}
),

episodes as (
    select la_code, census_year, referral_id, close_reason_code
    from {{ ref('cin_census_episodes') }}
    where has_person
),

assessments as (
    select assessments.la_code, assessments.census_year, census.ruleset_year,
           census.census_start_date, assessments.referral_id, assessments.assessment_id,
           assessments.assessment_auth_date, episodes.close_reason_code
    from {{ ref('cin_census_assessments') }} as assessments
    inner join census
        on census.la_code = assessments.la_code
        and census.census_year = assessments.census_year
    inner join episodes
        on episodes.la_code = assessments.la_code
        and episodes.census_year = assessments.census_year
        and episodes.referral_id = assessments.referral_id
),

counted as (
    select
        la_code, census_year, ruleset_year, census_start_date, referral_id, assessment_id,
        assessment_auth_date, close_reason_code,
        count(*) over (partition by la_code, census_year, referral_id) as episode_assessments
    from assessments
)

select
    la_code, census_year, ruleset_year, census_start_date, referral_id, assessment_id,
    assessment_auth_date, close_reason_code, episode_assessments
from counted
