{#
  DfE CIN census rules on which of a child's episodes are open or closed and what a closed
  one still holds, on the census year's return as the export writes it, as DfE's validator
  reads them:
    8805  a closure date without a reason for closure
    8815  more than one open episode (no closure date) that is not an NFA referral: each open
          episode of the child fails
    8816  an open episode, not an NFA referral, that is not the child's latest referral
    8867  a closed episode holding an assessment with no authorisation date
    8868  a closed episode holding an S47 enquiry with neither an initial conference nor
          ICPCnotRequired, or with both
  Placed at the episode.
#}
with

census as (
    select la_code, census_year from {{ ref('int_dq_census_period') }}
),

-- the census year's only: the census models hold every year, the per-child counts are not narrowed later
episodes as (
    select episodes.la_code, episodes.census_year, episodes.referral_id, episodes.child_key,
           episodes.referral_date, episodes.is_referral_nfa, episodes.close_date, episodes.close_reason_code
    from {{ ref('cin_census_episodes') }} as episodes
    inner join census
        on census.la_code = episodes.la_code
        and census.census_year = episodes.census_year
    where episodes.has_person
),

children as (
    select
        la_code,
        census_year,
        child_key,
        max(referral_date) as latest_referral_date,
        count(case when close_date is null and not is_referral_nfa then 1 end) as open_further_action_count
    from episodes
    group by la_code, census_year, child_key
),

open_episodes as (
    select episodes.la_code, episodes.census_year, episodes.referral_id, episodes.referral_date,
           episodes.is_referral_nfa, children.latest_referral_date, children.open_further_action_count
    from episodes
    inner join children
        on children.la_code = episodes.la_code
        and children.census_year = episodes.census_year
        and children.child_key = episodes.child_key
    where episodes.close_date is null
),

open_assessments as (
    select distinct la_code, census_year, referral_id
    from {{ ref('cin_census_assessments') }}
    where assessment_auth_date is null
),

unfinished_enquiries as (
    select distinct la_code, census_year, referral_id
    from {{ ref('cin_census_s47_enquiries') }}
    where (icpc_date is null) = (not is_icpc_not_required)
),

closed_episodes as (
    select
        episodes.la_code,
        episodes.census_year,
        episodes.referral_id,
        episodes.close_date,
        open_assessments.referral_id is not null as has_open_assessment,
        unfinished_enquiries.referral_id is not null as has_unfinished_enquiry
    from episodes
    left join open_assessments
        on open_assessments.la_code = episodes.la_code
        and open_assessments.census_year = episodes.census_year
        and open_assessments.referral_id = episodes.referral_id
    left join unfinished_enquiries
        on unfinished_enquiries.la_code = episodes.la_code
        and unfinished_enquiries.census_year = episodes.census_year
        and unfinished_enquiries.referral_id = episodes.referral_id
    where episodes.close_date is not null
),

failures as (
    select la_code, census_year, 'ssd_cin_episodes' as table_name, referral_id as record_id,
           'cine_close_reason' as column_name, '8805' as rule_code,
           cast(close_date as {{ dbt.type_string() }}) as value_seen
    from episodes
    where close_date is not null and close_reason_code is null
    union all
    select la_code, census_year, 'ssd_cin_episodes', referral_id, 'cine_close_date', '8815',
           cast(referral_date as {{ dbt.type_string() }})
    from open_episodes
    where open_further_action_count > 1
    union all
    select la_code, census_year, 'ssd_cin_episodes', referral_id, 'cine_referral_date', '8816',
           cast(referral_date as {{ dbt.type_string() }})
    from open_episodes
    where not is_referral_nfa and referral_date < latest_referral_date
    union all
    select la_code, census_year, 'ssd_cin_episodes', referral_id, 'cine_close_date', '8867',
           cast(close_date as {{ dbt.type_string() }})
    from closed_episodes
    where has_open_assessment
    union all
    select la_code, census_year, 'ssd_cin_episodes', referral_id, 'cine_close_date', '8868',
           cast(close_date as {{ dbt.type_string() }})
    from closed_episodes
    where has_unfinished_enquiry
),

{{ csc_dfe_rule_output('failures') }}
