{#
  DfE CIN census rules on the factors identified at assessment (module Assessments), on the
  census year's return as the export writes it (models/marts/cin_census), as DfE's validator
  reads them:
    8873Q the only assessment of an episode has factor 21 (no factors identified) and the
          episode is not closed RC8 or RC9 (open episodes included)
    8897Q an assessment authorised in the year (on or after 1 April) with no factor, or with a
          code that is no assessment factor of any year (seed ref_cin_codes owns the list)
    8945Q, 8950Q the retired factor 18A (19A) on an assessment (from 2024-25). DfE's validator
          never raises these two (it compares a list of codes with a string); we follow the
          rule text: scripts/dev/referee/exceptions.csv
  Placed at the assessment (ssd_cin_assessments); value_seen holds the code when one is read.
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
           assessments.assessment_auth_date
    from {{ ref('cin_census_assessments') }} as assessments
    inner join census
        on census.la_code = assessments.la_code
        and census.census_year = assessments.census_year
    inner join episodes
        on episodes.la_code = assessments.la_code
        and episodes.census_year = assessments.census_year
        and episodes.referral_id = assessments.referral_id
),

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

factor_summary as (
    select
        factors.la_code,
        factors.census_year,
        factors.assessment_id,
        max(case when factors.factor_code = '21' then 1 else 0 end) = 1 as has_no_factors_code,
        max(case when factor_codes.code is null then 1 else 0 end) = 1 as has_unknown_code
    from factors
    left join factor_codes on factor_codes.code = factors.factor_code
    group by factors.la_code, factors.census_year, factors.assessment_id
),

episode_assessment_counts as (
    select la_code, census_year, referral_id, count(*) as assessments
    from assessments
    group by la_code, census_year, referral_id
),

failures as (
    select assessments.la_code, assessments.ruleset_year, assessments.assessment_id, '8873Q' as rule_code,
           episodes.close_reason_code as value_seen
    from assessments
    inner join episode_assessment_counts as counted
        on counted.la_code = assessments.la_code
        and counted.census_year = assessments.census_year
        and counted.referral_id = assessments.referral_id
    inner join factor_summary as summary
        on summary.la_code = assessments.la_code
        and summary.census_year = assessments.census_year
        and summary.assessment_id = assessments.assessment_id
    inner join episodes
        on episodes.la_code = assessments.la_code
        and episodes.census_year = assessments.census_year
        and episodes.referral_id = assessments.referral_id
    where counted.assessments = 1
      and summary.has_no_factors_code
      and coalesce(episodes.close_reason_code, '') not in ('RC8', 'RC9')
    union all
    select assessments.la_code, assessments.ruleset_year, assessments.assessment_id, '8897Q',
           cast(null as {{ dbt.type_string() }})
    from assessments
    left join factor_summary as summary
        on summary.la_code = assessments.la_code
        and summary.census_year = assessments.census_year
        and summary.assessment_id = assessments.assessment_id
    where assessments.assessment_auth_date >= assessments.census_start_date
      and (summary.assessment_id is null or summary.has_unknown_code)
    union all
    select distinct assessments.la_code, assessments.ruleset_year, assessments.assessment_id,
           case upper(factors.factor_code) when '18A' then '8945Q' else '8950Q' end, factors.factor_code
    from assessments
    inner join factors
        on factors.la_code = assessments.la_code
        and factors.census_year = assessments.census_year
        and factors.assessment_id = assessments.assessment_id
    where upper(factors.factor_code) in ('18A', '19A')
),

rules as (
    select collection_year, rule_code, message from {{ ref('dfe_cin_rules') }}
)

select
    failures.la_code,
    'ssd_cin_assessments' as table_name,
    failures.assessment_id as record_id,
    'cinf_assessment_factors_json' as column_name,
    failures.rule_code,
    'warn' as severity,
    rules.message,
    failures.value_seen,
    'dfe' as rule_source
from failures
inner join rules
    on rules.collection_year = failures.ruleset_year
    and rules.rule_code = failures.rule_code
