{#
  DfE CIN census rule 8614 on the census year's return: factors identified at assessment on an
  assessment the return shows as not completed (no AssessmentAuthorisationDate). The export
  writes the factors of completed assessments only (cin_census_assessment_factors), so an
  exported return cannot fail it and on an extract the rule is not evaluated; a return checked
  as given (csc check-cin-census, int_cin_census_years.is_as_given) can: the importer lands the
  factors of every assessment. DfE's validator crashes whenever it would raise 8614 (it groups
  by a tuple holding the list of codes: TypeError, unhashable type 'list'), so the referee
  reports it as crashed there, never as agreement (README). Placed at the assessment.
#}
with

census_years as (
    select la_code, census_year from {{ ref('int_cin_census_years') }} where is_as_given
),

episodes as (
    select la_code, census_year, referral_id from {{ ref('cin_census_episodes') }} where has_person
),

incomplete_assessments as (
    select assessments.la_code, assessments.census_year, assessments.assessment_id
    from {{ ref('cin_census_assessments') }} as assessments
    inner join episodes
        on episodes.la_code = assessments.la_code
        and episodes.census_year = assessments.census_year
        and episodes.referral_id = assessments.referral_id
    inner join census_years
        on census_years.la_code = assessments.la_code
        and census_years.census_year = assessments.census_year
    where assessments.assessment_auth_date is null
),

factor_codes as (
    select la_code, assessment_id, factor_code
    from (
        select la_code, assessment_id, {{ csc_unnest('factor_codes') }} as factor_code
        from {{ ref('stg_ssd__assessment_factors') }}
    ) as exploded
    where factor_code is not null
),

failures as (
    select
        incomplete_assessments.la_code, incomplete_assessments.census_year,
        'ssd_cin_assessments' as table_name, incomplete_assessments.assessment_id as record_id,
        'cina_assessment_auth_date' as column_name, '8614' as rule_code,
        min(factor_codes.factor_code) as value_seen
    from incomplete_assessments
    inner join factor_codes
        on factor_codes.la_code = incomplete_assessments.la_code
        and factor_codes.assessment_id = incomplete_assessments.assessment_id
    group by incomplete_assessments.la_code, incomplete_assessments.census_year, incomplete_assessments.assessment_id
),

{{ csc_dfe_rule_output('failures') }}
