with

contacts as (
    select * from {{ ref('stg_ssd__contacts') }}
),

final as (
    select
        la_code,
        contact_id,
        child_key,
        contact_date,
        contact_source_code,
        contact_source_desc,
        coalesce(outcome_new_referral, false) as led_to_new_referral,
        coalesce(outcome_existing_referral, false) as linked_to_existing_referral,
        coalesce(outcome_cp_enquiry, false) as led_to_cp_enquiry,
        coalesce(outcome_nfa, false) as is_nfa,
        coalesce(outcome_advice, false) as is_advice_only,
        coalesce(outcome_early_help, false) as led_to_early_help
    from contacts
)

select * from final
