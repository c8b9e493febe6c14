{#
  The warehouse's own row rules, beyond the contract and DfE's: records of a child the person
  table does not hold, events after the child's death, a child over 25 when referred, and end
  dates before start dates that no DfE rule covers. Warnings: the rows stay in the facts.
  Dates of birth and death are read here from staging and never written out: the messages
  and value_seen carry the event date or the age, not the person's dates.
  (DATE_AFTER_REPORTING_DATE, the other warehouse rule, is generated from the contract in
  int_dq_future_dates.)
#}
with

record_locations as (
    select la_code, table_name, record_id, child_key, person_id_column
    from {{ ref('int_dq_record_locations') }}
),

people as (
    select la_code, child_key, date_of_birth, date_of_death
    from {{ ref('stg_ssd__person') }}
),

contacts as (
    select la_code, contact_id, child_key, contact_date
    from {{ ref('stg_ssd__contacts') }}
),

early_help as (
    select la_code, early_help_episode_id, child_key, episode_start_date, episode_end_date
    from {{ ref('stg_ssd__early_help_episodes') }}
),

referrals as (
    select la_code, referral_id, child_key, referral_date
    from {{ ref('stg_ssd__cin_episodes') }}
),

assessments as (
    select la_code, assessment_id, child_key, assessment_start_date
    from {{ ref('stg_ssd__cin_assessments') }}
),

cin_plans as (
    select la_code, cin_plan_id, child_key, plan_start_date, plan_end_date
    from {{ ref('stg_ssd__cin_plans') }}
),

enquiries as (
    select la_code, s47_enquiry_id, child_key, s47_start_date, s47_end_date
    from {{ ref('stg_ssd__s47_enquiry') }}
),

conferences as (
    select la_code, icpc_id, child_key, icpc_date
    from {{ ref('stg_ssd__initial_cp_conference') }}
),

cp_plans as (
    select la_code, cp_plan_id, child_key, plan_start_date
    from {{ ref('stg_ssd__cp_plans') }}
),

cp_reviews as (
    select la_code, cp_review_id, child_key, review_date
    from {{ ref('stg_ssd__cp_reviews') }}
),

-- PERSON_MISSING: a usable event row whose person id is not a usable ssd_person row. Every
-- event table with a person id, from the one list of row locations.
rows_without_person as (
    select
        record_locations.la_code,
        record_locations.table_name,
        record_locations.record_id,
        record_locations.person_id_column as column_name,
        'PERSON_MISSING' as rule_code,
        'the child is not in ssd_person (or the person row is quarantined): sex, age and ethnicity are unknown for this record' as message,
        cast(null as {{ dbt.type_string() }}) as value_seen
    from record_locations
    left join people
        on people.la_code = record_locations.la_code
        and people.child_key = record_locations.child_key
    where record_locations.child_key is not null
      and people.child_key is null
),

-- The date each kind of event happened on (its start), for EVENT_AFTER_DEATH.
event_dates as (
    select la_code, 'ssd_contacts' as table_name, contact_id as record_id, child_key,
        'cont_contact_date' as column_name, contact_date as event_date
    from contacts
    union all
    select la_code, 'ssd_early_help_episodes', early_help_episode_id, child_key,
        'earl_episode_start_date', episode_start_date
    from early_help
    union all
    select la_code, 'ssd_cin_episodes', referral_id, child_key, 'cine_referral_date', referral_date
    from referrals
    union all
    select la_code, 'ssd_cin_assessments', assessment_id, child_key, 'cina_assessment_start_date', assessment_start_date
    from assessments
    union all
    select la_code, 'ssd_cin_plans', cin_plan_id, child_key, 'cinp_cin_plan_start_date', plan_start_date
    from cin_plans
    union all
    select la_code, 'ssd_s47_enquiry', s47_enquiry_id, child_key, 's47e_s47_start_date', s47_start_date
    from enquiries
    union all
    select la_code, 'ssd_initial_cp_conference', icpc_id, child_key, 'icpc_icpc_date', icpc_date
    from conferences
    union all
    select la_code, 'ssd_cp_plans', cp_plan_id, child_key, 'cppl_cp_plan_start_date', plan_start_date
    from cp_plans
    union all
    select la_code, 'ssd_cp_reviews', cp_review_id, child_key, 'cppr_cp_review_date', review_date
    from cp_reviews
),

-- EVENT_AFTER_DEATH: an event dated after the child's recorded date of death.
events_after_death as (
    select
        event_dates.la_code,
        event_dates.table_name,
        event_dates.record_id,
        event_dates.column_name,
        'EVENT_AFTER_DEATH' as rule_code,
        'dated after the child''s recorded date of death (ssd_person.pers_death_date): the date, the person link or the death date is wrong' as message,
        cast(event_dates.event_date as {{ dbt.type_string() }}) as value_seen
    from event_dates
    inner join people
        on people.la_code = event_dates.la_code
        and people.child_key = event_dates.child_key
    where event_dates.event_date > people.date_of_death
),

-- AGE_OVER_25: children's social care ends at 25 (care leavers), so an older person at a
-- referral means a wrong date of birth, referral date or person link. value_seen is the age.
referral_ages as (
    select
        referrals.la_code,
        referrals.referral_id,
        {{ age_in_years('people.date_of_birth', 'referrals.referral_date') }} as age_at_referral
    from referrals
    inner join people
        on people.la_code = referrals.la_code
        and people.child_key = referrals.child_key
    where people.date_of_birth is not null and referrals.referral_date is not null
),

referrals_over_25 as (
    select
        la_code,
        'ssd_cin_episodes' as table_name,
        referral_id as record_id,
        'cine_referral_date' as column_name,
        'AGE_OVER_25' as rule_code,
        'the child is over 25 at the referral date (age in whole years in value_seen): the date of birth, the referral date or the person link is wrong' as message,
        -- 'age 26', not '26': a bare number could equal a numeric person id, which the
        -- publication scan (csc.privacy) rightly refuses in any published text column.
        'age ' || cast(age_at_referral as {{ dbt.type_string() }}) as value_seen
    from referral_ages
    where age_at_referral > 25
),

-- END_BEFORE_START where no DfE rule covers it (DfE: 8630 CIN episodes, 8608 assessments,
-- 8925 CP plans).
ends_before_starts as (
    select la_code, 'ssd_early_help_episodes' as table_name, early_help_episode_id as record_id,
        'earl_episode_end_date' as column_name, episode_end_date as end_date
    from early_help
    where episode_end_date < episode_start_date
    union all
    select la_code, 'ssd_cin_plans', cin_plan_id, 'cinp_cin_plan_end_date', plan_end_date
    from cin_plans
    where plan_end_date < plan_start_date
    union all
    select la_code, 'ssd_s47_enquiry', s47_enquiry_id, 's47e_s47_end_date', s47_end_date
    from enquiries
    where s47_end_date < s47_start_date
),

records_ending_before_start as (
    select
        la_code,
        table_name,
        record_id,
        column_name,
        'END_BEFORE_START' as rule_code,
        'the end date is before the start date' as message,
        cast(end_date as {{ dbt.type_string() }}) as value_seen
    from ends_before_starts
),

rule_failures as (
    select * from rows_without_person
    union all select * from events_after_death
    union all select * from referrals_over_25
    union all select * from records_ending_before_start
)

select
    la_code,
    table_name,
    record_id,
    column_name,
    rule_code,
    'warn' as severity,
    message,
    value_seen,
    'warehouse' as rule_source
from rule_failures
