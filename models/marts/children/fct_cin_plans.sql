with

plans as (
    select * from {{ ref('stg_ssd__cin_plans') }}
),

final as (
    select
        la_code,
        cin_plan_id,
        referral_id,
        child_key,
        plan_start_date,
        plan_end_date
    from plans
)

select * from final
