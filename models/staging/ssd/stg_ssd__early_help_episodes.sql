with

base as (
    select * from {{ ref('base_ssd__early_help_episodes') }}
    where _is_usable
),

renamed as (
    select
        la_code,
        earl_episode_id as early_help_episode_id,
        _child_key as child_key,
        {{ ssd_date('earl_episode_start_date') }} as episode_start_date,
        {{ ssd_date('earl_episode_end_date') }} as episode_end_date,
        earl_episode_reason as episode_reason,
        earl_episode_end_reason as episode_end_reason,
        earl_episode_organisation as organisation,
        {{ ssd_date('earl_assessment_date') }} as assessment_date,
        {{ ssd_flag('earl_team_around_family') }} as has_team_around_family,
        {{ ssd_date('earl_plan_start_date') }} as plan_start_date,
        upper(earl_record_purpose) as record_purpose
    from base
)

select * from renamed
