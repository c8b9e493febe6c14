with

episodes as (
    select * from {{ ref('stg_ssd__early_help_episodes') }}
),

final as (
    select
        la_code,
        early_help_episode_id,
        child_key,
        episode_start_date,
        episode_end_date,
        organisation,
        record_purpose,
        assessment_date,
        has_team_around_family,
        plan_start_date,
        -- The partnership's counting rule: an assessment, a multi-agency team around the
        -- family and a plan. Anything less is activity, not multi-agency early help.
        (
            assessment_date is not null
            and coalesce(has_team_around_family, false)
            and plan_start_date is not null
        ) as counts_under_multi_agency_rule
    from episodes
)

select * from final
