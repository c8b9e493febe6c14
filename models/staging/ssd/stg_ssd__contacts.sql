with

base as (
    select * from {{ ref('base_ssd__contacts') }}
    where _is_usable
),

-- Each JSON outcome is read once, in its own step: the flag macros read their argument more than
-- once, and reading JSON is the costly part of staging (England, ssd_contacts: 6.5 s -> 2.9 s).
outcome_texts as (
    select
        *,
        {{ ssd_json_text('cont_contact_outcome_json', 'NEW_REFERRAL_FLAG') }} as cont_contact_outcome_json__new_referral_flag,
        {{ ssd_json_text('cont_contact_outcome_json', 'EXISTING_REFERRAL_FLAG') }} as cont_contact_outcome_json__existing_referral_flag,
        {{ ssd_json_text('cont_contact_outcome_json', 'CP_ENQUIRY_FLAG') }} as cont_contact_outcome_json__cp_enquiry_flag,
        {{ ssd_json_text('cont_contact_outcome_json', 'NFA_FLAG') }} as cont_contact_outcome_json__nfa_flag,
        {{ ssd_json_text('cont_contact_outcome_json', 'ADVICE_FLAG') }} as cont_contact_outcome_json__advice_flag,
        {{ ssd_json_text('cont_contact_outcome_json', 'EARLY_HELP_FLAG') }} as cont_contact_outcome_json__early_help_flag
    from base
),

renamed as (
    select
        la_code,
        cont_contact_id as contact_id,
        _child_key as child_key,
        {{ ssd_date('cont_contact_date') }} as contact_date,
        cont_contact_source_code as contact_source_code,
        cont_contact_source_desc as contact_source_desc,
        {{ ssd_flag('cont_contact_outcome_json__new_referral_flag') }} as outcome_new_referral,
        {{ ssd_flag('cont_contact_outcome_json__existing_referral_flag') }} as outcome_existing_referral,
        {{ ssd_flag('cont_contact_outcome_json__cp_enquiry_flag') }} as outcome_cp_enquiry,
        {{ ssd_flag('cont_contact_outcome_json__nfa_flag') }} as outcome_nfa,
        {{ ssd_flag('cont_contact_outcome_json__advice_flag') }} as outcome_advice,
        {{ ssd_flag('cont_contact_outcome_json__early_help_flag') }} as outcome_early_help
    from outcome_texts
)

select * from renamed
