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

-- Most children have one episode, so at a month end one row at most: only the others need
-- grouping (grouping every child's month ends was most of this model's cost).
counted_episodes as (
    select
        la_code,
        child_key,
        episode_start_date,
        episode_end_date,
        is_short_break_budget_only,
        count(*) over (partition by la_code, child_key) as child_episode_count
    from episodes
),

-- Each branch joins its own episodes to the month ends: DuckDB holds a joined set shared by
-- both in memory (20.6 M rows at England size), and spills it. Open at a month end: started
-- by it and not ended by it (written once, for both branches).
{%- set branches = {'single_episode_open': '= 1', 'several_episodes_open': '> 1'} %}
{% for branch, episode_count in branches.items() %}
{{ branch }} as (
    select
        month_ends.la_code,
        month_ends.month_end,
        counted_episodes.child_key,
        counted_episodes.is_short_break_budget_only
    from month_ends
    inner join counted_episodes
        on counted_episodes.la_code = month_ends.la_code
        and counted_episodes.episode_start_date <= month_ends.month_end
        and (counted_episodes.episode_end_date is null or counted_episodes.episode_end_date > month_ends.month_end)
    where counted_episodes.child_episode_count {{ episode_count }}
),
{% endfor %}
final as (
    select
        la_code,
        month_end,
        child_key,
        cast(1 as integer) as open_episode_count,
        -- the grouped expression below, on one row
        (not is_short_break_budget_only) = false as is_short_break_only
    from single_episode_open
    union all
    select
        la_code,
        month_end,
        child_key,
        cast(count(*) as integer) as open_episode_count,
        -- Short-break-only means every open episode is short-break-only: one ordinary
        -- episode makes the child an ordinary child in need.
        {{ dbt.bool_or('not is_short_break_budget_only') }} = false as is_short_break_only
    from several_episodes_open
    group by la_code, month_end, child_key
)

select * from final
