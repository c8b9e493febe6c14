with

base as (
    select * from {{ ref('base_ssd__s47_enquiry') }}
    where _is_usable
),

-- Each JSON outcome is read once, in its own step: the flag macros read their argument more than
-- once, and reading JSON is the costly part of staging (England, ssd_contacts: 6.5 s -> 2.9 s).
outcome_texts as (
    select
        *,
        {{ ssd_json_text('s47e_s47_outcome_json', 'NFA_FLAG') }} as s47e_s47_outcome_json__nfa_flag,
        {{ ssd_json_text('s47e_s47_outcome_json', 'ICPC_FLAG') }} as s47e_s47_outcome_json__icpc_flag
    from base
),

renamed as (
    select
        la_code,
        s47e_s47_enquiry_id as s47_enquiry_id,
        s47e_referral_id as referral_id,
        _child_key as child_key,
        {{ ssd_date('s47e_s47_start_date') }} as s47_start_date,
        {{ ssd_date('s47e_s47_end_date') }} as s47_end_date,
        {{ ssd_either_flag(
            ssd_flag('s47e_s47_nfa'),
            ssd_flag('s47e_s47_outcome_json__nfa_flag')
        ) }} as is_nfa,
        {{ ssd_flag('s47e_s47_outcome_json__icpc_flag') }} as outcome_icpc
    from outcome_texts
)

select * from renamed
