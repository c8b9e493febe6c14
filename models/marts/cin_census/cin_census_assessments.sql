{#
  The Assessments of each census year's return: started on or before the ReferenceDate and not
  authorised before 1 April (started or completed in the year, or open at its end), placed in
  their episode (int_cin_census_placements; referral_id null = left out, has_known_episode
  says why). An authorisation after the ReferenceDate was not yet known: not shown.
#}
with

assessments as (
    select la_code, assessment_id, assessment_start_date, assessment_auth_date
    from {{ ref('stg_ssd__cin_assessments') }}
),

placements as (
    select la_code, census_year, record_id, referral_id, has_known_episode
    from {{ ref('int_cin_census_placements') }}
    where module = 'assessment'
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
        assessments.assessment_id,
        assessments.assessment_start_date,
        case when census_years.is_as_given or assessments.assessment_auth_date <= census_years.reference_date
            then assessments.assessment_auth_date end as assessment_auth_date
    from placements
    inner join assessments
        on assessments.la_code = placements.la_code
        and assessments.assessment_id = placements.record_id
    inner join census_years
        on census_years.la_code = placements.la_code
        and census_years.census_year = placements.census_year
    where census_years.is_as_given
       or assessments.assessment_start_date <= census_years.reference_date
       and (assessments.assessment_auth_date is null
            or assessments.assessment_auth_date >= census_years.census_start_date)
)

select
    la_code, census_year, referral_id, has_known_episode, assessment_id, assessment_start_date,
    assessment_auth_date
from final
