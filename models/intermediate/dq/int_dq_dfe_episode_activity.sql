{#
  DfE CIN census rule 8565, activity shown after a case has been closed, on the census year's
  return as the export writes it: a closed episode holding a date after its closure date, among
  those the rule names: its own (CINdetails-level) initial conference; an assessment's start or
  authorisation; an S47 enquiry's start or initial conference; a CIN plan's start or end
  (placed at the episode); a CP plan's end (placed at the CP plan).
  DfE's validator (rule_8565.py) cannot raise the CP-plan step: it replaces the return's
  ChildProtectionPlans with a test table left in its code (LAchildID child1, CINdetailsID
  CINID1) before comparing. We follow the text; the referee lists a failure placed at a CP plan
  apart, as a step the validator cannot fire (scripts/dev/referee/cannot_fire.csv), never as
  agreement. Its CIN-plan step fails whenever the return's count of CIN-plan failures differs
  from its count of S47 failures (it then raises 8565 on no child): the referee lists a crash.
#}
with

episodes as (
    select la_code, census_year, referral_id, close_date
    from {{ ref('cin_census_episodes') }}
    where has_person and close_date is not null
),

-- every date of an episode's records that the rule compares with its closure, the CP plans' ends apart
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
),

cp_plan_ends as (
    select la_code, census_year, referral_id, cp_plan_id, plan_end_date from {{ ref('cin_census_cp_plans') }}
),

episode_failures as (
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

cp_plan_failures as (
    select
        episodes.la_code, episodes.census_year, 'ssd_cp_plans' as table_name, cp_plan_ends.cp_plan_id as record_id,
        'cppl_cp_plan_end_date' as column_name, '8565' as rule_code,
        cast(cp_plan_ends.plan_end_date as {{ dbt.type_string() }}) as value_seen
    from episodes
    inner join cp_plan_ends
        on cp_plan_ends.la_code = episodes.la_code
        and cp_plan_ends.census_year = episodes.census_year
        and cp_plan_ends.referral_id = episodes.referral_id
    where cp_plan_ends.plan_end_date > episodes.close_date
),

failures as (
    select la_code, census_year, table_name, record_id, column_name, rule_code, value_seen from episode_failures
    union all
    select la_code, census_year, table_name, record_id, column_name, rule_code, value_seen from cp_plan_failures
),

{{ csc_dfe_rule_output('failures') }}
