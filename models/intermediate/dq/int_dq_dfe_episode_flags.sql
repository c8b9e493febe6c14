{#
  DfE CIN census rules on an episode's own dates and flags (module CINdetails), on the census
  year's return as the export writes it, as DfE's validator reads them:
    8810  a reason for closure without a closure date
    8569Q a referral flagged NFA whose referral date is before the collection start, read as
          DfE's validator reads it: before the first working day on or after 1 April
          (pandas CustomBusinessDay(0) rolls 1 April forward; the text says "one working day
          prior to", which would be the last working day before 1 April)
    8606  a referral more than 40 weeks (280 days) before the child's date of birth or
          expected date of birth
  Placed at the episode.
#}
with

census as (
    select la_code, census_year, census_start_date from {{ ref('int_dq_census_period') }}
),
episodes as (
    select la_code, census_year, referral_id, child_key, referral_date, is_referral_nfa, close_date,
           close_reason_code
    from {{ ref('cin_census_episodes') }}
    where has_person
),
children as (
    select la_code, census_year, child_key, date_of_birth, expected_date_of_birth
    from {{ ref('cin_census_children') }}
),
working_days as (
    select date_day from {{ ref('dim_date') }} where is_working_day
),

-- the validator's collection start: 1 April, or the next working day when it is not one
nfa_thresholds as (
    select census.la_code, census.census_year, min(working_days.date_day) as first_working_day
    from census
    inner join working_days on working_days.date_day >= census.census_start_date
    group by census.la_code, census.census_year
),

early_nfa as (
    select episodes.la_code, episodes.census_year, episodes.referral_id, episodes.referral_date
    from episodes
    inner join nfa_thresholds
        on nfa_thresholds.la_code = episodes.la_code
        and nfa_thresholds.census_year = episodes.census_year
    where episodes.is_referral_nfa
      and episodes.referral_date < nfa_thresholds.first_working_day
),

before_birth as (
    select episodes.la_code, episodes.census_year, episodes.referral_id, episodes.referral_date
    from episodes
    inner join children
        on children.la_code = episodes.la_code
        and children.census_year = episodes.census_year
        and children.child_key = episodes.child_key
    where episodes.referral_date < {{ dbt.dateadd('day', -280, 'children.date_of_birth') }}
       or episodes.referral_date < {{ dbt.dateadd('day', -280, 'children.expected_date_of_birth') }}
),

failures as (
    select la_code, census_year, 'ssd_cin_episodes' as table_name, referral_id as record_id,
           'cine_close_date' as column_name, '8810' as rule_code,
           close_reason_code as value_seen
    from episodes
    where close_reason_code is not null and close_date is null
    union all
    select la_code, census_year, 'ssd_cin_episodes', referral_id, 'cine_referral_nfa', '8569Q',
           cast(referral_date as {{ dbt.type_string() }})
    from early_nfa
    union all
    select la_code, census_year, 'ssd_cin_episodes', referral_id, 'cine_referral_date', '8606',
           cast(referral_date as {{ dbt.type_string() }})
    from before_birth
),

{{ csc_dfe_rule_output('failures') }}
