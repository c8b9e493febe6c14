with

episodes as (
    select * from {{ ref('stg_ssd__cin_episodes') }}
),

final as (
    select
        la_code,
        referral_id,
        child_key,
        referral_date as episode_start_date,
        close_date as episode_end_date,
        close_reason_code,
        primary_need_code,
        coalesce(is_referral_nfa, false) as is_referral_nfa,
        -- An NFA referral never makes a child "in need"; everything else does, including
        -- children on CP plans and looked-after children.
        not coalesce(is_referral_nfa, false) as counts_as_child_in_need,
        coalesce(is_short_break_budget_only, false) as is_short_break_budget_only
    from episodes
)

select * from final
