{#
  DfE CIN census rules that check one date of the census year's return against the year
  (1 April to the ReferenceDate), as data: seed dfe_cin_census_year_dates says which date,
  which check and whether only unfinished records are checked (8600, 8620, 8696, 8736, 4010,
  4013, 8720, 8930, 8715, 8740). On an extract the census models keep only the year's
  records, so most of them cannot fail there; on a return checked as it is (csc
  check-cin-census: int_cin_census_years.is_as_given) they judge the file's records as given.
  Placed at the record whose date it is.
#}
with

census as (
    select la_code, census_year, census_start_date, reference_date from {{ ref('int_dq_census_period') }}
),
checks as (
    select rule_code, date_name, date_check, only_unfinished from {{ ref('dfe_cin_census_year_dates') }}
),
episodes as (
    select la_code, census_year, referral_id from {{ ref('cin_census_episodes') }} where has_person
),

-- every date the rules check, with its record, its episode and whether it is unfinished
dated as (
    select la_code, census_year, referral_id, 'referral' as date_name, 'ssd_cin_episodes' as table_name,
           referral_id as record_id, 'cine_referral_date' as column_name, referral_date as date_value,
           false as is_unfinished
    from {{ ref('cin_census_episodes') }}
    union all
    select la_code, census_year, referral_id, 'closure', 'ssd_cin_episodes', referral_id as record_id,
           'cine_close_date', close_date, false
    from {{ ref('cin_census_episodes') }}
    union all
    select la_code, census_year, referral_id, 'assessment_start', 'ssd_cin_assessments', assessment_id,
           'cina_assessment_start_date', assessment_start_date, assessment_auth_date is null
    from {{ ref('cin_census_assessments') }}
    union all
    select la_code, census_year, referral_id, 'assessment_authorisation', 'ssd_cin_assessments', assessment_id,
           'cina_assessment_auth_date', assessment_auth_date, false
    from {{ ref('cin_census_assessments') }}
    union all
    select la_code, census_year, referral_id, 'cin_plan_start', 'ssd_cin_plans', cin_plan_id,
           'cinp_cin_plan_start_date', plan_start_date, false
    from {{ ref('cin_census_cin_plans') }}
    union all
    select la_code, census_year, referral_id, 'cin_plan_end', 'ssd_cin_plans', cin_plan_id,
           'cinp_cin_plan_end_date', plan_end_date, false
    from {{ ref('cin_census_cin_plans') }}
    union all
    select la_code, census_year, referral_id, 'cp_plan_start', 'ssd_cp_plans', cp_plan_id,
           'cppl_cp_plan_start_date', plan_start_date, false
    from {{ ref('cin_census_cp_plans') }}
    union all
    select la_code, census_year, referral_id, 'cp_plan_end', 'ssd_cp_plans', cp_plan_id,
           'cppl_cp_plan_end_date', plan_end_date, false
    from {{ ref('cin_census_cp_plans') }}
    union all
    select la_code, census_year, referral_id, 's47_start', 'ssd_s47_enquiry', s47_enquiry_id,
           's47e_s47_start_date', s47_start_date, icpc_date is null and not is_icpc_not_required
    from {{ ref('cin_census_s47_enquiries') }}
    union all
    select la_code, census_year, referral_id, 's47_conference', 'ssd_s47_enquiry', s47_enquiry_id,
           'icpc_icpc_date', icpc_date, false
    from {{ ref('cin_census_s47_enquiries') }}
),

-- only the records the return writes: in an episode of the year whose child it names
dated_in_return as (
    select dated.la_code, dated.census_year, dated.date_name, dated.table_name, dated.record_id,
           dated.column_name, dated.date_value, dated.is_unfinished
    from dated
    inner join episodes
        on episodes.la_code = dated.la_code
        and episodes.census_year = dated.census_year
        and episodes.referral_id = dated.referral_id
),

failures as (
    select
        dated.la_code, dated.census_year, dated.table_name, dated.record_id, dated.column_name, checks.rule_code,
        cast(dated.date_value as {{ dbt.type_string() }}) as value_seen
    from dated_in_return as dated
    inner join checks on checks.date_name = dated.date_name
    inner join census
        on census.la_code = dated.la_code
        and census.census_year = dated.census_year
    where (dated.is_unfinished or not checks.only_unfinished)
      and case checks.date_check
          when 'outside_year' then dated.date_value < census.census_start_date
              or dated.date_value > census.reference_date
          when 'missing_or_after_year' then dated.date_value is null or dated.date_value > census.reference_date
          when 'missing_or_outside_year' then dated.date_value is null
              or dated.date_value < census.census_start_date or dated.date_value > census.reference_date
      end
),

{{ csc_dfe_rule_output('failures') }}
