{#
  Which episode of a census year's return each module record (assessment, CIN plan, S47
  enquiry, conference, CP plan) goes in. By its referral_id when that episode is in the
  year's return; a record with no referral_id, or one the extract does not have, goes in the
  child's episode of the year whose span (referral date to recorded closure) holds its date,
  the latest such episode; a record whose own episode is not in the year's return goes
  nowhere. One row per record and census year in which the child has an episode;
  referral_id is null for a record placed nowhere, and has_known_episode says why.
#}
with

records as (
    select la_code, 'assessment' as module, assessment_id as record_id, child_key, referral_id,
           assessment_start_date as placed_on
    from {{ ref('stg_ssd__cin_assessments') }}
    union all
    select la_code, 'cin_plan', cin_plan_id, child_key, referral_id, plan_start_date
    from {{ ref('stg_ssd__cin_plans') }}
    union all
    select la_code, 's47', s47_enquiry_id, child_key, referral_id, s47_start_date
    from {{ ref('stg_ssd__s47_enquiry') }}
    union all
    select la_code, 'icpc', icpc_id, child_key, referral_id, icpc_date
    from {{ ref('stg_ssd__initial_cp_conference') }}
    union all
    select la_code, 'cp_plan', cp_plan_id, child_key, referral_id, plan_start_date
    from {{ ref('stg_ssd__cp_plans') }}
),

all_referrals as (
    select distinct la_code, referral_id from {{ ref('stg_ssd__cin_episodes') }}
),

episodes as (
    select la_code, census_year, referral_id, child_key, referral_date, close_date_recorded
    from {{ ref('cin_census_episodes') }}
    where has_person
),

children_in_year as (
    select distinct la_code, census_year, child_key from episodes
),

-- Each branch below joins the records to their child's census years itself: a records-by-years
-- set shared by both was held in memory and spilled to disk at England size.
records_checked as (
    select
        records.*,
        all_referrals.referral_id is not null as has_known_episode
    from records
    left join all_referrals
        on all_referrals.la_code = records.la_code
        and all_referrals.referral_id = records.referral_id
),

-- A record whose referral the extract has goes in that episode, if the year's return has it.
by_link as (
    select
        records_checked.la_code, children_in_year.census_year, records_checked.module,
        records_checked.record_id, records_checked.child_key, episodes.referral_id,
        records_checked.has_known_episode
    from records_checked
    inner join children_in_year
        on children_in_year.la_code = records_checked.la_code
        and children_in_year.child_key = records_checked.child_key
    left join episodes
        on episodes.la_code = records_checked.la_code
        and episodes.census_year = children_in_year.census_year
        and episodes.referral_id = records_checked.referral_id
    where records_checked.has_known_episode
),

-- Any other record: the latest of the child's episodes of the year whose span holds its date.
by_span_ranked as (
    select
        records_checked.la_code, children_in_year.census_year, records_checked.module,
        records_checked.record_id, records_checked.child_key, episodes.referral_id,
        records_checked.has_known_episode,
        row_number() over (
            partition by records_checked.la_code, children_in_year.census_year,
                         records_checked.module, records_checked.record_id
            order by episodes.referral_date desc, episodes.referral_id desc
        ) as preference
    from records_checked
    inner join children_in_year
        on children_in_year.la_code = records_checked.la_code
        and children_in_year.child_key = records_checked.child_key
    left join episodes
        on episodes.la_code = records_checked.la_code
        and episodes.census_year = children_in_year.census_year
        and episodes.child_key = records_checked.child_key
        and episodes.referral_date <= records_checked.placed_on
        and (episodes.close_date_recorded is null or records_checked.placed_on <= episodes.close_date_recorded)
    where not records_checked.has_known_episode
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
