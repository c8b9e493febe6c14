{#
  The factors of each census year's assessments, for the assessments the return shows as
  completed (authorised by the ReferenceDate) and placed in an episode: one row per factors
  record, in record order (the export writes each code once).
#}
with

assessments as (
    select la_code, census_year, assessment_id
    from {{ ref('cin_census_assessments') }}
    where referral_id is not null and assessment_auth_date is not null
),

factors as (
    select la_code, assessment_id, assessment_factors_record_id, factor_codes
    from {{ ref('stg_ssd__assessment_factors') }}
)

select
    assessments.la_code,
    assessments.census_year,
    assessments.assessment_id,
    factors.assessment_factors_record_id,
    factors.factor_codes
from assessments
inner join factors
    on factors.la_code = assessments.la_code
    and factors.assessment_id = assessments.assessment_id
