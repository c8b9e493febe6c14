with

base as (
    select * from {{ ref('base_ssd__s47_enquiry') }}
    where _is_usable
),

renamed as (
    select
        la_code,
        s47e_s47_enquiry_id as s47_enquiry_id,
        s47e_referral_id as referral_id,
        {{ child_key('la_code', 's47e_person_id') }} as child_key,
        {{ ssd_date('s47e_s47_start_date') }} as s47_start_date,
        {{ ssd_date('s47e_s47_end_date') }} as s47_end_date,
        {{ ssd_either_flag(
            ssd_flag('s47e_s47_nfa'),
            ssd_json_flag('s47e_s47_outcome_json', 'NFA_FLAG')
        ) }} as is_nfa,
        {{ ssd_json_flag('s47e_s47_outcome_json', 'ICPC_FLAG') }} as outcome_icpc
    from base
)

select * from renamed
