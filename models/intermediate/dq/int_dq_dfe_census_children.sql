{#
  The children the DfE rules on a child (module ChildIdentifiers) check: each child of the
  census year's return (models/marts/cin_census; int_dq_census_period chooses the year) with
  the census dates, whether any of the year's referrals was not NFA, and the episode a
  child's failure is placed at: the child's first episode of the year (ssd_cin_episodes;
  the person line would carry the person id). The one owner of that placement.
#}
with

census as (
    select la_code, census_year, census_start_date, reference_date, ruleset_year
    from {{ ref('int_dq_census_period') }}
),

children as (
    select la_code, census_year, child_key, la_child_id, upn, upn_unknown_reason, former_upn, date_of_birth,
           expected_date_of_birth, date_of_death
    from {{ ref('cin_census_children') }}
),

-- the census year's episodes only: the census models hold every year (England at 0.25 size,
-- 1.64 M episode rows, 0.29 M of the year), and a window is not narrowed by the later join
episodes as (
    select episodes.la_code, episodes.census_year, episodes.child_key, episodes.referral_id,
           episodes.referral_date, episodes.is_referral_nfa
    from {{ ref('cin_census_episodes') }} as episodes
    inner join census
        on census.la_code = episodes.la_code
        and census.census_year = episodes.census_year
    where episodes.has_person
),

ranked_episodes as (
    select
        la_code,
        census_year,
        child_key,
        referral_id,
        is_referral_nfa,
        row_number() over (
            partition by la_code, census_year, child_key order by referral_date, referral_id
        ) as position
    from episodes
),

episode_summary as (
    select
        la_code,
        census_year,
        child_key,
        max(case when position = 1 then referral_id end) as first_referral_id,
        max(case when not is_referral_nfa then 1 else 0 end) = 1 as has_further_action
    from ranked_episodes
    group by la_code, census_year, child_key
),

final as (
    select
        children.la_code,
        children.census_year,
        census.ruleset_year,
        census.census_start_date,
        census.reference_date,
        children.child_key,
        children.la_child_id,
        children.upn,
        children.upn_unknown_reason,
        children.former_upn,
        children.date_of_birth,
        children.expected_date_of_birth,
        children.date_of_death,
        episode_summary.first_referral_id,
        episode_summary.has_further_action
    from children
    inner join census
        on census.la_code = children.la_code
        and census.census_year = children.census_year
    inner join episode_summary
        on episode_summary.la_code = children.la_code
        and episode_summary.census_year = children.census_year
        and episode_summary.child_key = children.child_key
)

select
    la_code, census_year, ruleset_year, census_start_date, reference_date, child_key, la_child_id,
    upn, upn_unknown_reason, former_upn, date_of_birth, expected_date_of_birth, date_of_death,
    first_referral_id, has_further_action
from final
