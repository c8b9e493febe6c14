{#
  The CINdetails-level DateOfInitialCPC of each census year's return: a conference held in the
  year that is a transfer-in or has no S47 enquiry in the extract, placed in its episode. The
  return has room for one per episode: the first (is_written); the others are counted by the
  export. Linked conferences go in their enquiry's Section47 module (cin_census_s47_enquiries).
#}
with

conferences as (
    select la_code, icpc_id, s47_enquiry_id, icpc_date, is_transfer_in
    from {{ ref('stg_ssd__initial_cp_conference') }}
),

enquiries as (
    select distinct la_code, s47_enquiry_id from {{ ref('stg_ssd__s47_enquiry') }}
),

placements as (
    select la_code, census_year, record_id, referral_id, has_known_episode
    from {{ ref('int_cin_census_placements') }}
    where module = 'icpc'
),

census_years as (
    select la_code, census_year, census_start_date, reference_date, is_as_given
    from {{ ref('int_cin_census_years') }}
),

episode_level as (
    select
        placements.la_code,
        placements.census_year,
        placements.referral_id,
        placements.has_known_episode,
        conferences.icpc_id,
        conferences.icpc_date
    from placements
    inner join conferences
        on conferences.la_code = placements.la_code
        and conferences.icpc_id = placements.record_id
    inner join census_years
        on census_years.la_code = placements.la_code
        and census_years.census_year = placements.census_year
    left join enquiries
        on enquiries.la_code = conferences.la_code
        and enquiries.s47_enquiry_id = conferences.s47_enquiry_id
    where (census_years.is_as_given
           or conferences.icpc_date between census_years.census_start_date and census_years.reference_date)
      and (conferences.is_transfer_in or enquiries.s47_enquiry_id is null)
),

ranked as (
    select
        episode_level.*,
        row_number() over (
            partition by la_code, census_year, referral_id order by icpc_date, icpc_id
        ) as position
    from episode_level
)

select
    la_code, census_year, referral_id, has_known_episode, icpc_id, icpc_date,
    referral_id is not null and position = 1 as is_written
from ranked
