{#
  DfE CIN census rules counting a child's CP plans and initial conferences on the census
  year's return as the export writes it:
    8935  more than one open CP plan (no end date) across the child's episodes: each open plan
          fails. DfE's validator counts open plans by the plan's position within its episode
          (its CPPID), so it misses two open plans of one episode; we follow the text
          (scripts/dev/referee/exceptions.csv).
    2884  an initial conference recorded both at CINdetails level (DateOfInitialCPC of the
          episode) and at an S47 enquiry of the child on the same date: placed at the enquiry
    8870Q an S47 enquiry's InitialCPCtarget on a Saturday or Sunday. DfE's validator reads the
          date as dd-mm-yyyy and the return writes yyyy-mm-dd, so it never raises it: we follow
          the text (scripts/dev/referee/exceptions.csv).
#}
with

census as (
    select la_code, census_year from {{ ref('int_dq_census_period') }}
),
-- the census year's episodes only: the census models hold every year
episodes as (
    select episodes.la_code, episodes.census_year, episodes.referral_id, episodes.child_key
    from {{ ref('cin_census_episodes') }} as episodes
    inner join census
        on census.la_code = episodes.la_code
        and census.census_year = episodes.census_year
    where episodes.has_person
),
cp_plans as (
    select episodes.la_code, episodes.census_year, episodes.child_key, plans.cp_plan_id, plans.plan_start_date,
           plans.plan_end_date
    from {{ ref('cin_census_cp_plans') }} as plans
    inner join episodes
        on episodes.la_code = plans.la_code
        and episodes.census_year = plans.census_year
        and episodes.referral_id = plans.referral_id
),
enquiries as (
    select episodes.la_code, episodes.census_year, episodes.child_key, s47.s47_enquiry_id, s47.icpc_date,
           s47.icpc_target_date
    from {{ ref('cin_census_s47_enquiries') }} as s47
    inner join episodes
        on episodes.la_code = s47.la_code
        and episodes.census_year = s47.census_year
        and episodes.referral_id = s47.referral_id
),
episode_icpcs as (
    select episodes.la_code, episodes.census_year, episodes.child_key, icpcs.icpc_date
    from {{ ref('cin_census_episode_icpcs') }} as icpcs
    inner join episodes
        on episodes.la_code = icpcs.la_code
        and episodes.census_year = icpcs.census_year
        and episodes.referral_id = icpcs.referral_id
    where icpcs.is_written
),
weekends as (
    select date_day from {{ ref('dim_date') }} where is_weekend
),

open_plans as (
    select
        la_code, census_year, cp_plan_id, plan_start_date,
        count(*) over (partition by la_code, census_year, child_key) as open_plan_count
    from cp_plans
    where plan_end_date is null
),

icpc_at_both_levels as (
    select distinct enquiries.la_code, enquiries.census_year, enquiries.s47_enquiry_id, enquiries.icpc_date
    from enquiries
    inner join episode_icpcs
        on episode_icpcs.la_code = enquiries.la_code
        and episode_icpcs.census_year = enquiries.census_year
        and episode_icpcs.child_key = enquiries.child_key
        and episode_icpcs.icpc_date = enquiries.icpc_date
),

failures as (
    select la_code, census_year, 'ssd_cp_plans' as table_name, cp_plan_id as record_id,
           'cppl_cp_plan_end_date' as column_name, '8935' as rule_code,
           cast(plan_start_date as {{ dbt.type_string() }}) as value_seen
    from open_plans
    where open_plan_count > 1
    union all
    select la_code, census_year, 'ssd_s47_enquiry', s47_enquiry_id, 'icpc_icpc_date', '2884',
           cast(icpc_date as {{ dbt.type_string() }})
    from icpc_at_both_levels
    union all
    select enquiries.la_code, enquiries.census_year, 'ssd_s47_enquiry', enquiries.s47_enquiry_id,
           'icpc_icpc_target_date', '8870Q', cast(enquiries.icpc_target_date as {{ dbt.type_string() }})
    from enquiries
    inner join weekends on weekends.date_day = enquiries.icpc_target_date
),

{{ csc_dfe_rule_output('failures') }}
