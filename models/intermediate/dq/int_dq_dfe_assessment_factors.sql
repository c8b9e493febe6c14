{#
  DfE CIN census rules on the factors identified at assessment (module Assessments), on the
  census year's return as the export writes it (int_dq_dfe_census_assessments and
  int_dq_dfe_census_factors prepare it), as DfE's validator reads them:
    8873Q the only assessment of an episode has factor 21 (no factors identified) and the
          episode is not closed RC8 or RC9 (open episodes included)
    8897Q an assessment authorised in the year (on or after 1 April) with no factor, or with a
          code that is no assessment factor of any year (seed ref_cin_codes owns the list)
    8869  factor 21 (no factors identified) beside any other factor on an assessment. DfE's
          validator never raises it (it compares the list of an assessment's codes with the
          string "21"); we follow the rule text: scripts/dev/referee/exceptions.csv
    8945Q, 8950Q the retired factor 18A (19A) on an assessment (from 2024-25). DfE's validator
          never raises these two (it compares a list of codes with a string); we follow the
          rule text: scripts/dev/referee/exceptions.csv
  Placed at the assessment (ssd_cin_assessments); value_seen holds the code when one is read.
#}
with

assessments as (
    select la_code, census_year, ruleset_year, census_start_date, assessment_id, assessment_auth_date,
           close_reason_code, episode_assessments
    from {{ ref('int_dq_dfe_census_assessments') }}
),

factors as (
    select la_code, census_year, assessment_id, factor_code, is_factor_code
    from {{ ref('int_dq_dfe_census_factors') }}
),

factor_summary as (
    select
        la_code,
        census_year,
        assessment_id,
        max(case when factor_code = '21' then 1 else 0 end) = 1 as has_no_factors_code,
        max(case when is_factor_code then 0 else 1 end) = 1 as has_unknown_code,
        max(case when factor_code = '21' then 0 else 1 end) = 1 as has_other_code
    from factors
    group by la_code, census_year, assessment_id
),

failures as (
    select assessments.la_code, assessments.ruleset_year, assessments.assessment_id, '8873Q' as rule_code,
           assessments.close_reason_code as value_seen
    from assessments
    inner join factor_summary as summary
        on summary.la_code = assessments.la_code
        and summary.census_year = assessments.census_year
        and summary.assessment_id = assessments.assessment_id
    where assessments.episode_assessments = 1
      and summary.has_no_factors_code
      and coalesce(assessments.close_reason_code, '') not in ('RC8', 'RC9')
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
    select assessments.la_code, assessments.ruleset_year, assessments.assessment_id, '8869', '21'
    from assessments
    inner join factor_summary as summary
        on summary.la_code = assessments.la_code
        and summary.census_year = assessments.census_year
        and summary.assessment_id = assessments.assessment_id
    where summary.has_no_factors_code and summary.has_other_code
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
