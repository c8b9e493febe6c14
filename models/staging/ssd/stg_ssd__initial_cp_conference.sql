with

base as (
    select * from {{ ref('base_ssd__initial_cp_conference') }}
    where _is_usable
),

renamed as (
    select
        la_code,
        icpc_icpc_id as icpc_id,
        icpc_s47_enquiry_id as s47_enquiry_id,
        {{ child_key('la_code', 'icpc_person_id') }} as child_key,
        icpc_cp_plan_id as cp_plan_id,
        icpc_referral_id as referral_id,
        coalesce({{ ssd_flag('icpc_icpc_transfer_in') }}, false) as is_transfer_in,
        {{ ssd_date('icpc_icpc_target_date') }} as icpc_target_date,
        {{ ssd_date('icpc_icpc_date') }} as icpc_date,
        {{ ssd_either_flag(
            ssd_flag('icpc_icpc_outcome_cp_flag'),
            ssd_json_flag('icpc_icpc_outcome_json', 'CP_PLAN_FLAG')
        ) }} as outcome_cp_plan
    from base
)

select * from renamed
