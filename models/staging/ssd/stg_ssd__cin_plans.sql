with

base as (
    select * from {{ ref('base_ssd__cin_plans') }}
    where _is_usable
),

renamed as (
    select
        la_code,
        cinp_cin_plan_id as cin_plan_id,
        cinp_referral_id as referral_id,
        _child_key as child_key,
        {{ ssd_date('cinp_cin_plan_start_date') }} as plan_start_date,
        {{ ssd_date('cinp_cin_plan_end_date') }} as plan_end_date
    from base
)

select * from renamed
