{#
  DfE CIN census rule 8565, activity shown after a case has been closed, on the census year's
  return as the export writes it: a closed episode holding a date after its closure date, among
  those DfE's validator compares with it: its own (CINdetails-level) initial conference; an
  assessment's start or authorisation; an S47 enquiry's start or initial conference; a CIN
  plan's start or end; a CP plan's end. Placed at the episode.
  DfE's validator (rule_8565.py) means the same dates but compares the CP plan's end with a
  test table left in its code (never a return's plan), and its CIN-plan step fails whenever
  the return's count of CIN-plan failures differs from its count of S47 failures (then it
  raises 8565 on no child of the return): we follow the text (README, "DfE's validator as
  referee"; neither case is on any corpus the referee runs).
#}
with

episodes as (
    select la_code, census_year, referral_id, close_date
    from {{ ref('cin_census_episodes') }}
    where has_person and close_date is not null
),

-- every date of an episode's records that the rule compares with its closure
activity as (
    select la_code, census_year, referral_id, icpc_date as activity_date
    from {{ ref('cin_census_episode_icpcs') }}
    where is_written
    union all
    select la_code, census_year, referral_id, assessment_start_date from {{ ref('cin_census_assessments') }}
    union all
    select la_code, census_year, referral_id, assessment_auth_date from {{ ref('cin_census_assessments') }}
    union all
    select la_code, census_year, referral_id, s47_start_date from {{ ref('cin_census_s47_enquiries') }}
    union all
    select la_code, census_year, referral_id, icpc_date from {{ ref('cin_census_s47_enquiries') }}
    union all
    select la_code, census_year, referral_id, plan_start_date from {{ ref('cin_census_cin_plans') }}
    union all
    select la_code, census_year, referral_id, plan_end_date from {{ ref('cin_census_cin_plans') }}
    union all
    select la_code, census_year, referral_id, plan_end_date from {{ ref('cin_census_cp_plans') }}
),

failures as (
    select distinct
        episodes.la_code, episodes.census_year, 'ssd_cin_episodes' as table_name, episodes.referral_id as record_id,
        'cine_close_date' as column_name, '8565' as rule_code,
        cast(episodes.close_date as {{ dbt.type_string() }}) as value_seen
    from episodes
    inner join activity
        on activity.la_code = episodes.la_code
        and activity.census_year = episodes.census_year
        and activity.referral_id = episodes.referral_id
    where activity.activity_date > episodes.close_date
),

{{ csc_dfe_rule_output('failures') }}
