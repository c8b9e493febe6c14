{#
  The CINdetails of each census year's return: every CIN episode open at some time in the year
  (referral on or before the ReferenceDate, not closed before 1 April), as the council knew it
  on the ReferenceDate: a closure after it is not shown. A missing referral source is written
  10 (unknown; is_source_filled says so). has_person is false for an episode whose child is
  not in ssd_person: the return cannot name the child, so the export leaves it out and says so.
  close_date_recorded (the extract's own) places module records that carry no episode link.
#}
with

episodes as (
    select
        la_code, referral_id, child_key, referral_date, referral_source_code, primary_need_code,
        is_referral_nfa, close_date, close_reason_code
    from {{ ref('stg_ssd__cin_episodes') }}
),

people as (
    select distinct la_code, child_key from {{ ref('stg_ssd__person') }}
),

census_years as (
    select la_code, census_year, census_start_date, reference_date, is_as_given
    from {{ ref('int_cin_census_years') }}
),

episodes_in_year as (
    select census_years.census_year, census_years.reference_date, census_years.is_as_given, episodes.*
    from episodes
    inner join census_years
        on census_years.la_code = episodes.la_code
        and (census_years.is_as_given
             or episodes.referral_date <= census_years.reference_date
             and (episodes.close_date is null or episodes.close_date >= census_years.census_start_date))
),

final as (
    select
        episodes_in_year.la_code,
        episodes_in_year.census_year,
        episodes_in_year.referral_id,
        episodes_in_year.child_key,
        episodes_in_year.referral_date,
        coalesce(episodes_in_year.referral_source_code, '10') as referral_source_code,
        episodes_in_year.referral_source_code is null as is_source_filled,
        episodes_in_year.primary_need_code,
        coalesce(episodes_in_year.is_referral_nfa, false) as is_referral_nfa,
        case when episodes_in_year.is_as_given or episodes_in_year.close_date <= episodes_in_year.reference_date
            then episodes_in_year.close_date end as close_date,
        case when episodes_in_year.is_as_given or episodes_in_year.close_date <= episodes_in_year.reference_date
            then episodes_in_year.close_reason_code end as close_reason_code,
        episodes_in_year.close_date as close_date_recorded,
        people.child_key is not null as has_person
    from episodes_in_year
    left join people
        on people.la_code = episodes_in_year.la_code
        and people.child_key = episodes_in_year.child_key
)

select
    la_code, census_year, referral_id, child_key, referral_date, referral_source_code,
    is_source_filled, primary_need_code, is_referral_nfa, close_date, close_reason_code,
    close_date_recorded, has_person
from final
