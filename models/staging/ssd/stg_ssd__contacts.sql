with

base as (
    select * from {{ ref('base_ssd__contacts') }}
    where _is_usable
),

renamed as (
    select
        la_code,
        cont_contact_id as contact_id,
        {{ child_key('la_code', 'cont_person_id') }} as child_key,
        {{ ssd_date('cont_contact_date') }} as contact_date,
        cont_contact_source_code as contact_source_code,
        cont_contact_source_desc as contact_source_desc,
        {{ ssd_json_flag('cont_contact_outcome_json', 'NEW_REFERRAL_FLAG') }} as outcome_new_referral,
        {{ ssd_json_flag('cont_contact_outcome_json', 'EXISTING_REFERRAL_FLAG') }} as outcome_existing_referral,
        {{ ssd_json_flag('cont_contact_outcome_json', 'CP_ENQUIRY_FLAG') }} as outcome_cp_enquiry,
        {{ ssd_json_flag('cont_contact_outcome_json', 'NFA_FLAG') }} as outcome_nfa,
        {{ ssd_json_flag('cont_contact_outcome_json', 'ADVICE_FLAG') }} as outcome_advice,
        {{ ssd_json_flag('cont_contact_outcome_json', 'EARLY_HELP_FLAG') }} as outcome_early_help
    from base
)

select * from renamed
