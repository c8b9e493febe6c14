{#
  Who was a child in need at the end of each reported month: an interval join of episodes
  against month ends (never one row per child per day).
#}
with

episodes as (
    select * from {{ ref('fct_cin_episodes') }}
    where counts_as_child_in_need
),

month_ends as (
    select la_code, period_end as month_end
    from {{ ref('int_reporting_periods') }}
    where period_type = 'month'
),

open_at_month_end as (
    select
        month_ends.la_code,
        month_ends.month_end,
        episodes.child_key,
        episodes.is_short_break_budget_only
    from month_ends
    inner join episodes
        on episodes.la_code = month_ends.la_code
        and episodes.episode_start_date <= month_ends.month_end
        and (episodes.episode_end_date is null or episodes.episode_end_date > month_ends.month_end)
),

final as (
    select
        la_code,
        month_end,
        child_key,
        cast(count(*) as integer) as open_episode_count,
        -- Short-break-only means every open episode is short-break-only: one ordinary
        -- episode makes the child an ordinary child in need.
        {{ dbt.bool_or('not is_short_break_budget_only') }} = false as is_short_break_only
    from open_at_month_end
    group by la_code, month_end, child_key
)

select * from final
