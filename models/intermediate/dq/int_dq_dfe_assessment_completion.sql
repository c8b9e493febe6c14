{#
  DfE CIN census rules on an assessment's factors as a return checked as given holds them
  (csc check-cin-census, int_cin_census_years.is_as_given: the importer lands the factors of
  every assessment, each code as often as the file gives it):
    8614  factors identified at assessment on an assessment the return shows as not completed
          (no AssessmentAuthorisationDate)
    8898  a factor code given twice or more on one assessment (value_seen: the code)
  The export writes the factors of completed assessments only, each code once
  (cin_census_assessment_factors and the exporter), so an exported return cannot fail either
  and on an extract neither is evaluated. DfE's validator crashes whenever it would raise
  either (it groups by a tuple holding the list of codes: TypeError, unhashable type 'list'),
  so the referee reports them as crashed there, never as agreement (README). Placed at the
  assessment.
#}
with

census_years as (
    select la_code, census_year from {{ ref('int_cin_census_years') }} where is_as_given
),

episodes as (
    select la_code, census_year, referral_id from {{ ref('cin_census_episodes') }} where has_person
),

census_assessments as (
    select assessments.la_code, assessments.census_year, assessments.assessment_id,
           assessments.assessment_auth_date
    from {{ ref('cin_census_assessments') }} as assessments
    inner join episodes
        on episodes.la_code = assessments.la_code
        and episodes.census_year = assessments.census_year
        and episodes.referral_id = assessments.referral_id
    inner join census_years
        on census_years.la_code = assessments.la_code
        and census_years.census_year = assessments.census_year
),

factor_codes as (
    select la_code, assessment_id, factor_code
    from (
        select la_code, assessment_id, {{ csc_unnest('factor_codes') }} as factor_code
        from {{ ref('stg_ssd__assessment_factors') }}
    ) as exploded
    where factor_code is not null
),

-- an assessment's codes given more than once, over all its factors records
repeated_codes as (
    select la_code, assessment_id, factor_code
    from factor_codes
    group by la_code, assessment_id, factor_code
    having count(*) > 1
),

failures as (
    select
        census_assessments.la_code, census_assessments.census_year,
        'ssd_cin_assessments' as table_name, census_assessments.assessment_id as record_id,
        'cina_assessment_auth_date' as column_name, '8614' as rule_code,
        min(factor_codes.factor_code) as value_seen
    from census_assessments
    inner join factor_codes
        on factor_codes.la_code = census_assessments.la_code
        and factor_codes.assessment_id = census_assessments.assessment_id
    where census_assessments.assessment_auth_date is null
    group by census_assessments.la_code, census_assessments.census_year, census_assessments.assessment_id
    union all
    select
        census_assessments.la_code, census_assessments.census_year,
        'ssd_cin_assessments', census_assessments.assessment_id,
        'cinf_assessment_factors_json', '8898',
        min(repeated_codes.factor_code)
    from census_assessments
    inner join repeated_codes
        on repeated_codes.la_code = census_assessments.la_code
        and repeated_codes.assessment_id = census_assessments.assessment_id
    group by census_assessments.la_code, census_assessments.census_year, census_assessments.assessment_id
),

{{ csc_dfe_rule_output('failures') }}
