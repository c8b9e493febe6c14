{#
  The factors identified at assessment as the census year's return writes them
  (cin_census_assessment_factors): one row per assessment and code, with whether the code is
  an assessment factor of any year (seed ref_cin_codes owns the list).
#}
with

factor_records as (
    select la_code, census_year, assessment_id, factor_codes
    from {{ ref('cin_census_assessment_factors') }}
),

factors as (
    select la_code, census_year, assessment_id, factor_code
    from (
        select la_code, census_year, assessment_id, {{ csc_unnest('factor_codes') }} as factor_code
        from factor_records
    ) as exploded
    where factor_code is not null
),

factor_codes as (
    select distinct code from {{ ref('ref_cin_codes') }} where code_list = 'assessment_factor'
),

final as (
    select factors.la_code, factors.census_year, factors.assessment_id, factors.factor_code,
           factor_codes.code is not null as is_factor_code
    from factors
    left join factor_codes on factor_codes.code = factors.factor_code
)

select la_code, census_year, assessment_id, factor_code, is_factor_code from final
