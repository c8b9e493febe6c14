{#
  The Section47 modules of each census year's return, with the two readings the census needs:
    DateOfInitialCPC  the first conference linked to the enquiry held by the ReferenceDate
                      (transfer-ins aside), with that conference's target date;
    ICPCnotRequired   no conference held by the ReferenceDate and the enquiry concluded without
                      one: its outcome says no conference (ICPC_FLAG N), or no further action, or
                      it ended by the ReferenceDate with no conference outcome.
  An enquiry is in the year's return when it started by the ReferenceDate and it started in
  the year, or its conference was held in the year, or it ended in the year or later, or it has
  no end date and no conference held (open as far as the extract shows: an imported return's
  enquiries have no end date, so every enquiry of the return stays in it). The DfE rules
  8675Q and 2885 read this model too.
#}
with

enquiries as (
    select la_code, s47_enquiry_id, s47_start_date, s47_end_date, is_nfa, outcome_icpc
    from {{ ref('stg_ssd__s47_enquiry') }}
),

conferences as (
    select la_code, icpc_id, s47_enquiry_id, icpc_date, icpc_target_date, is_transfer_in
    from {{ ref('stg_ssd__initial_cp_conference') }}
    where s47_enquiry_id is not null and not is_transfer_in
),

placements as (
    select la_code, census_year, record_id, referral_id, has_known_episode
    from {{ ref('int_cin_census_placements') }}
    where module = 's47'
),

census_years as (
    select la_code, census_year, census_start_date, reference_date, is_as_given
    from {{ ref('int_cin_census_years') }}
),

-- the enquiry's first conference as the return can show it (held by the ReferenceDate, or
-- not yet held: then only its target date)
first_conferences as (
    select
        census_years.census_year,
        conferences.la_code,
        conferences.s47_enquiry_id,
        conferences.icpc_date,
        conferences.icpc_target_date,
        row_number() over (
            partition by conferences.la_code, census_years.census_year, conferences.s47_enquiry_id
            order by conferences.icpc_date nulls last, conferences.icpc_id
        ) as position
    from conferences
    inner join census_years
        on census_years.la_code = conferences.la_code
    where census_years.is_as_given or conferences.icpc_date is null
       or conferences.icpc_date <= census_years.reference_date
),

enquiries_in_year as (
    select
        placements.la_code,
        placements.census_year,
        placements.referral_id,
        placements.has_known_episode,
        enquiries.s47_enquiry_id,
        enquiries.s47_start_date,
        first_conferences.icpc_target_date,
        first_conferences.icpc_date,
        first_conferences.icpc_date is null
            and (enquiries.outcome_icpc = false
                 or coalesce(enquiries.is_nfa, false)
                 or (enquiries.s47_end_date <= census_years.reference_date
                     and not coalesce(enquiries.outcome_icpc, false))) as is_icpc_not_required,
        census_years.is_as_given
            or enquiries.s47_start_date >= census_years.census_start_date
            or first_conferences.icpc_date >= census_years.census_start_date
            or enquiries.s47_end_date >= census_years.census_start_date
            or (enquiries.s47_end_date is null and first_conferences.icpc_date is null)
            as is_in_year
    from placements
    inner join enquiries
        on enquiries.la_code = placements.la_code
        and enquiries.s47_enquiry_id = placements.record_id
    inner join census_years
        on census_years.la_code = placements.la_code
        and census_years.census_year = placements.census_year
    left join first_conferences
        on first_conferences.la_code = placements.la_code
        and first_conferences.census_year = placements.census_year
        and first_conferences.s47_enquiry_id = enquiries.s47_enquiry_id
        and first_conferences.position = 1
    where census_years.is_as_given or enquiries.s47_start_date <= census_years.reference_date
)

select
    la_code, census_year, referral_id, has_known_episode, s47_enquiry_id, s47_start_date,
    icpc_target_date, icpc_date, coalesce(is_icpc_not_required, false) as is_icpc_not_required
from enquiries_in_year
where coalesce(is_in_year, false)
