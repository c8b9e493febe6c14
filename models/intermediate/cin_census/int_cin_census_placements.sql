{#
  Which episode of a census year's return each module record (assessment, CIN plan, S47
  enquiry, conference, CP plan) goes in. By its referral_id when that episode is in the
  year's return; a record with no referral_id, or one the extract does not have, goes in the
  child's episode of the year whose span (referral date to recorded closure) holds its date,
  the latest such episode; a record whose own episode is not in the year's return goes
  nowhere. One row per record and census year in which the child has an episode;
  referral_id is null for a record placed nowhere, and has_known_episode says why.
#}
{#- The module tables: (module, model, record id column, the date that places a record by span). -#}
{%- set modules = [
    ('assessment', 'stg_ssd__cin_assessments', 'assessment_id', 'assessment_start_date'),
    ('cin_plan', 'stg_ssd__cin_plans', 'cin_plan_id', 'plan_start_date'),
    ('s47', 'stg_ssd__s47_enquiry', 's47_enquiry_id', 's47_start_date'),
    ('icpc', 'stg_ssd__initial_cp_conference', 'icpc_id', 'icpc_date'),
    ('cp_plan', 'stg_ssd__cp_plans', 'cp_plan_id', 'plan_start_date'),
] -%}

with

-- The records are read once for each branch below (the branch by link reads no date): DuckDB
-- holds a records set shared by both in memory whole (5.9 M rows at England size) and plans
-- the joins after it without its statistics (by link then builds its hash table on 15.6 M
-- records-by-years instead of on the episodes, and spills 4.3 GB).
{%- for records, with_date in [('link_records', false), ('span_records', true)] %}
{{ records }} as (
    {%- for module, model, id_column, date_column in modules %}
    select la_code, '{{ module }}' as module, {{ id_column }} as record_id, child_key, referral_id
        {%- if with_date %}, {{ date_column }} as placed_on{% endif %}
    from {{ ref(model) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),
{% endfor %}

all_referrals as (
    select distinct la_code, referral_id from {{ ref('stg_ssd__cin_episodes') }}
),

-- The episodes are read once for each use, for the same reason: as one shared set DuckDB
-- holds them whole (6.6 M rows at England size).
episodes as (
    select la_code, census_year, referral_id, child_key, referral_date, close_date_recorded
    from {{ ref('cin_census_episodes') }}
    where has_person
),

episodes_of_year as (
    select la_code, census_year, referral_id
    from {{ ref('cin_census_episodes') }}
    where has_person
),

children_in_year as (
    select distinct la_code, census_year, child_key
    from {{ ref('cin_census_episodes') }}
    where has_person
),

known_records as (
    select link_records.la_code, link_records.module, link_records.record_id,
           link_records.child_key, link_records.referral_id
    from link_records
    inner join all_referrals
        on all_referrals.la_code = link_records.la_code
        and all_referrals.referral_id = link_records.referral_id
),

unknown_records as (
    select span_records.la_code, span_records.module, span_records.record_id,
           span_records.child_key, span_records.placed_on
    from span_records
    left join all_referrals
        on all_referrals.la_code = span_records.la_code
        and all_referrals.referral_id = span_records.referral_id
    where all_referrals.referral_id is null
),

-- A record whose referral the extract has goes in that episode, if the year's return has it.
by_link as (
    select
        known_records.la_code, children_in_year.census_year, known_records.module,
        known_records.record_id, known_records.child_key, episodes_of_year.referral_id,
        true as has_known_episode
    from known_records
    inner join children_in_year
        on children_in_year.la_code = known_records.la_code
        and children_in_year.child_key = known_records.child_key
    left join episodes_of_year
        on episodes_of_year.la_code = known_records.la_code
        and episodes_of_year.census_year = children_in_year.census_year
        and episodes_of_year.referral_id = known_records.referral_id
),

-- Any other record: the latest of the child's episodes of the year whose span holds its date.
by_span_ranked as (
    select
        unknown_records.la_code, children_in_year.census_year, unknown_records.module,
        unknown_records.record_id, unknown_records.child_key, episodes.referral_id,
        false as has_known_episode,
        row_number() over (
            partition by unknown_records.la_code, children_in_year.census_year,
                         unknown_records.module, unknown_records.record_id
            order by episodes.referral_date desc, episodes.referral_id desc
        ) as preference
    from unknown_records
    inner join children_in_year
        on children_in_year.la_code = unknown_records.la_code
        and children_in_year.child_key = unknown_records.child_key
    left join episodes
        on episodes.la_code = unknown_records.la_code
        and episodes.census_year = children_in_year.census_year
        and episodes.child_key = unknown_records.child_key
        and episodes.referral_date <= unknown_records.placed_on
        and (episodes.close_date_recorded is null or unknown_records.placed_on <= episodes.close_date_recorded)
),

placed as (
    select la_code, census_year, module, record_id, child_key, referral_id, has_known_episode
    from by_link
    union all
    select la_code, census_year, module, record_id, child_key, referral_id, has_known_episode
    from by_span_ranked
    where preference = 1
)

select la_code, census_year, module, record_id, child_key, referral_id, has_known_episode
from placed
