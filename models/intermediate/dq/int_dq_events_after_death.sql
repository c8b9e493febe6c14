{#
  Warehouse rule EVENT_AFTER_DEATH: an event dated after the child's recorded date of death
  (the date, the person link or the death date is wrong). An event's date is its start.
  value_seen is the event date, never the person's dates.
#}
with

people as (select la_code, child_key, date_of_death from {{ ref('stg_ssd__person') }}),
contacts as (select * from {{ ref('stg_ssd__contacts') }}),
early_help as (select * from {{ ref('stg_ssd__early_help_episodes') }}),
referrals as (select * from {{ ref('stg_ssd__cin_episodes') }}),
assessments as (select * from {{ ref('stg_ssd__cin_assessments') }}),
cin_plans as (select * from {{ ref('stg_ssd__cin_plans') }}),
enquiries as (select * from {{ ref('stg_ssd__s47_enquiry') }}),
conferences as (select * from {{ ref('stg_ssd__initial_cp_conference') }}),
cp_plans as (select * from {{ ref('stg_ssd__cp_plans') }}),
cp_reviews as (select * from {{ ref('stg_ssd__cp_reviews') }}),

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

-- An event on the day of death is plausible (a contact that day); only later ones fail.
final as (
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
)

select * from final
