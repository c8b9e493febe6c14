{{ config(materialized='table') }}

with

referrals as (
    select * from {{ ref('stg_ssd__cin_episodes') }}
),

assessments as (
    select la_code, referral_id from {{ ref('stg_ssd__cin_assessments') }}
),

assessed_referrals as (
    select distinct la_code, referral_id
    from assessments
),

-- Re-referral history by window over each child's distinct referral dates, so same-day
-- referrals never count as each other's previous referral and cost stays linear.
child_referral_dates as (
    select distinct la_code, child_key, referral_date
    from referrals
),

previous_dates as (
    select
        la_code,
        child_key,
        referral_date,
        lag(referral_date) over (
            partition by la_code, child_key order by referral_date
        ) as previous_referral_date
    from child_referral_dates
),

joined as (
    select
        referrals.*,
        previous_dates.previous_referral_date,
        assessed_referrals.referral_id is not null as led_to_assessment
    from referrals
    left join previous_dates
        on previous_dates.la_code = referrals.la_code
        and previous_dates.child_key = referrals.child_key
        and previous_dates.referral_date = referrals.referral_date
    left join assessed_referrals
        on assessed_referrals.la_code = referrals.la_code
        and assessed_referrals.referral_id = referrals.referral_id
),

final as (
    select
        la_code,
        referral_id,
        child_key,
        referral_date,
        referral_source_code,
        primary_need_code,
        coalesce(is_referral_nfa, false) as is_referral_nfa,
        close_date,
        close_reason_code,
        previous_referral_date,
        -- Within 12 months: on or before the previous referral's 12-month anniversary.
        coalesce(
            referral_date <= {{ anniversary('previous_referral_date', 12) }},
            false
        ) as is_rereferral_12m,
        led_to_assessment,
        coalesce(is_short_break_budget_only, false) as is_short_break_budget_only
    from joined
)

select * from final
