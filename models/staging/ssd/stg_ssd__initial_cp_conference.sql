with

base as (
    select * from {{ ref('base_ssd__initial_cp_conference') }}
    where _is_usable
),

-- Each JSON outcome is read once, in its own step: the flag macros read their argument more than
-- once, and reading JSON is the costly part of staging (England, ssd_contacts: 6.5 s -> 2.9 s).
outcome_texts as (
    select
        *,
        {{ ssd_json_text('icpc_icpc_outcome_json', 'CP_PLAN_FLAG') }} as icpc_icpc_outcome_json__cp_plan_flag
    from base
),

renamed as (
    select
        la_code,
        icpc_icpc_id as icpc_id,
        icpc_s47_enquiry_id as s47_enquiry_id,
        _child_key as child_key,
        icpc_cp_plan_id as cp_plan_id,
        icpc_referral_id as referral_id,
        coalesce({{ ssd_flag('icpc_icpc_transfer_in') }}, false) as is_transfer_in,
        {{ ssd_date('icpc_icpc_target_date') }} as icpc_target_date,
        {{ ssd_date('icpc_icpc_date') }} as icpc_date,
        {{ ssd_either_flag(
            ssd_flag('icpc_icpc_outcome_cp_flag'),
            ssd_flag('icpc_icpc_outcome_json__cp_plan_flag')
        ) }} as outcome_cp_plan
    from outcome_texts
)

select * from renamed
