{#
  The extract records the census year's return shows (models/marts/cin_census, the year
  int_dq_census_period chooses), by (la_code, table_name, record_id): the episodes of its
  children and the modules placed in them; an initial conference when the return holds it
  (at CINdetails level, or through the S47 enquiry it concludes); a CP review when its plan
  is in the return and the review was in the year; record_date, the day each was made (the
  referral, start, conference or review date: the month a failure is made, in
  dq_census_readiness_monthly); the return's children too, at their ssd_person row (by
  child_key, undated: the rules on a child, 8540, 8500, 8510, 8590, are placed there).
  dq_census_readiness counts the DfE failures on these records only: the rules written on the whole extract (date order,
  overlaps, linkage) also flag records of other years, which marts.dq_issues keeps.
#}
with

census as (
    select la_code, census_year from {{ ref('int_dq_census_period') }}
),

episodes as (
    select la_code, census_year, referral_id, referral_date from {{ ref('cin_census_episodes') }} where has_person
),

placed_modules as (
    select la_code, census_year, referral_id, 'ssd_cin_assessments' as table_name, assessment_id as record_id,
           assessment_start_date as record_date
    from {{ ref('cin_census_assessments') }}
    union all
    select la_code, census_year, referral_id, 'ssd_cin_plans', cin_plan_id, plan_start_date
    from {{ ref('cin_census_cin_plans') }}
    union all
    select la_code, census_year, referral_id, 'ssd_s47_enquiry', s47_enquiry_id, s47_start_date
    from {{ ref('cin_census_s47_enquiries') }}
    union all
    select la_code, census_year, referral_id, 'ssd_cp_plans', cp_plan_id, plan_start_date
    from {{ ref('cin_census_cp_plans') }}
    union all
    select la_code, census_year, referral_id, 'ssd_initial_cp_conference', icpc_id, icpc_date
    from {{ ref('cin_census_episode_icpcs') }}
    where is_written
),

records_in_episodes as (
    select episodes.la_code, placed_modules.table_name, placed_modules.record_id, placed_modules.record_date
    from placed_modules
    inner join episodes
        on episodes.la_code = placed_modules.la_code
        and episodes.census_year = placed_modules.census_year
        and episodes.referral_id = placed_modules.referral_id
    inner join census
        on census.la_code = episodes.la_code
        and census.census_year = episodes.census_year
    union all
    select episodes.la_code, 'ssd_cin_episodes', episodes.referral_id, episodes.referral_date
    from episodes
    inner join census
        on census.la_code = episodes.la_code
        and census.census_year = episodes.census_year
),

-- a conference the return shows inside the S47 enquiry it concludes
enquiry_conferences as (
    select conferences.la_code, 'ssd_initial_cp_conference' as table_name, conferences.icpc_id as record_id,
           conferences.icpc_date as record_date
    from {{ ref('stg_ssd__initial_cp_conference') }} as conferences
    inner join records_in_episodes as enquiries
        on enquiries.la_code = conferences.la_code
        and enquiries.table_name = 'ssd_s47_enquiry'
        and enquiries.record_id = conferences.s47_enquiry_id
),

-- the return's children, where the rules on the child as a whole are placed
children as (
    select children.la_code, 'ssd_person' as table_name, children.child_key as record_id,
           cast(null as date) as record_date
    from {{ ref('cin_census_children') }} as children
    inner join census
        on census.la_code = children.la_code
        and census.census_year = children.census_year
),

reviews as (
    select reviews.la_code, 'ssd_cp_reviews' as table_name, reviews.cp_review_id as record_id,
           reviews.review_date as record_date
    from {{ ref('stg_ssd__cp_reviews') }} as reviews
    inner join {{ ref('cin_census_cp_reviews') }} as census_reviews
        on census_reviews.la_code = reviews.la_code
        and census_reviews.cp_plan_id = reviews.cp_plan_id
        and census_reviews.review_date = reviews.review_date
    inner join census
        on census.la_code = census_reviews.la_code
        and census.census_year = census_reviews.census_year
),

all_records as (
    select la_code, table_name, record_id, record_date from records_in_episodes
    union
    select la_code, table_name, record_id, record_date from enquiry_conferences
    union
    select la_code, table_name, record_id, record_date from reviews
    union
    select la_code, table_name, record_id, record_date from children
)

select la_code, table_name, record_id, record_date from all_records
