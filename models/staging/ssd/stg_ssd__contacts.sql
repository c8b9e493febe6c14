with

base as (
    select * from {{ ref('base_ssd__contacts') }}
    where _is_usable
),

-- Reading JSON and parsing dates are the costly part of staging, and a council's contacts
-- repeat a few dozen outcome texts and a few thousand date texts: each distinct text is read
-- once, here, and joined back (England at 0.25 size: see the README's Performance section).
outcome_jsons as (
    select distinct cont_contact_outcome_json from base
    where cont_contact_outcome_json is not null
),

-- Each JSON key is read once, in its own step: the flag macro reads its argument more than once.
outcome_texts as (
    select
        cont_contact_outcome_json,
        {{ ssd_json_text('cont_contact_outcome_json', 'NEW_REFERRAL_FLAG') }} as new_referral_flag,
        {{ ssd_json_text('cont_contact_outcome_json', 'EXISTING_REFERRAL_FLAG') }} as existing_referral_flag,
        {{ ssd_json_text('cont_contact_outcome_json', 'CP_ENQUIRY_FLAG') }} as cp_enquiry_flag,
        {{ ssd_json_text('cont_contact_outcome_json', 'NFA_FLAG') }} as nfa_flag,
        {{ ssd_json_text('cont_contact_outcome_json', 'ADVICE_FLAG') }} as advice_flag,
        {{ ssd_json_text('cont_contact_outcome_json', 'EARLY_HELP_FLAG') }} as early_help_flag
    from outcome_jsons
),

outcomes as (
    select
        cont_contact_outcome_json,
        {{ ssd_flag('new_referral_flag') }} as outcome_new_referral,
        {{ ssd_flag('existing_referral_flag') }} as outcome_existing_referral,
        {{ ssd_flag('cp_enquiry_flag') }} as outcome_cp_enquiry,
        {{ ssd_flag('nfa_flag') }} as outcome_nfa,
        {{ ssd_flag('advice_flag') }} as outcome_advice,
        {{ ssd_flag('early_help_flag') }} as outcome_early_help
    from outcome_texts
),

contact_dates as (
    select
        cont_contact_date,
        {{ ssd_date('cont_contact_date') }} as contact_date
    from (select distinct cont_contact_date from base where cont_contact_date is not null) as date_texts
),

renamed as (
    select
        base.la_code,
        base.cont_contact_id as contact_id,
        base._child_key as child_key,
        contact_dates.contact_date,
        base.cont_contact_source_code as contact_source_code,
        base.cont_contact_source_desc as contact_source_desc,
        -- no outcome text (null): every flag unknown, as the flag macro gives for null
        outcomes.outcome_new_referral,
        outcomes.outcome_existing_referral,
        outcomes.outcome_cp_enquiry,
        outcomes.outcome_nfa,
        outcomes.outcome_advice,
        outcomes.outcome_early_help
    from base
    left join outcomes on outcomes.cont_contact_outcome_json = base.cont_contact_outcome_json
    left join contact_dates on contact_dates.cont_contact_date = base.cont_contact_date
)

select * from renamed
