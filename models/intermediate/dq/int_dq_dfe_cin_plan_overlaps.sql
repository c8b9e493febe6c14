{#
  DfE CIN census rules on a child's CIN plans, on the census year's return as the export
  writes it (models/marts/cin_census), as DfE's validator reads them (across all the child's
  episodes):
    4000  a CIN plan in an episode whose referral was NFA
    4011  a CIN plan ending before it starts
    4014  a CIN plan starting on or after another's start and on or before its end (or while
          it is still open, on or before the ReferenceDate)
  Placed at the CIN plan. A CIN plan against the child's CP plans: int_dq_dfe_cin_and_cp_plans.
#}
with

census as (
    select la_code, census_year, reference_date from {{ ref('int_dq_census_period') }}
),
episodes as (
    select la_code, census_year, referral_id, child_key, is_referral_nfa
    from {{ ref('cin_census_episodes') }}
    where has_person
),
cin_plans as (
    select episodes.la_code, episodes.census_year, episodes.child_key, episodes.referral_id,
           episodes.is_referral_nfa, plans.cin_plan_id, plans.plan_start_date, plans.plan_end_date
    from {{ ref('cin_census_cin_plans') }} as plans
    inner join episodes
        on episodes.la_code = plans.la_code
        and episodes.census_year = plans.census_year
        and episodes.referral_id = plans.referral_id
),
-- a plan (later) starting within another (earlier) plan of the child: "within" is before
-- its end, or before the ReferenceDate while it is open
cin_plan_pairs as (
    select later.la_code, later.census_year, later.cin_plan_id, later.plan_start_date
    from cin_plans as later
    inner join cin_plans as earlier
        on earlier.la_code = later.la_code
        and earlier.census_year = later.census_year
        and earlier.child_key = later.child_key
        and earlier.cin_plan_id <> later.cin_plan_id
    inner join census
        on census.la_code = later.la_code
        and census.census_year = later.census_year
    where later.plan_start_date >= earlier.plan_start_date
      and (later.plan_start_date <= earlier.plan_end_date
           or earlier.plan_end_date is null and later.plan_start_date <= census.reference_date)
),
failures as (
    select la_code, census_year, 'ssd_cin_plans' as table_name, cin_plan_id as record_id,
           'cinp_referral_id' as column_name, '4000' as rule_code,
           cast(plan_start_date as {{ dbt.type_string() }}) as value_seen
    from cin_plans
    where is_referral_nfa
    union all
    select la_code, census_year, 'ssd_cin_plans', cin_plan_id, 'cinp_cin_plan_end_date', '4011',
           cast(plan_end_date as {{ dbt.type_string() }})
    from cin_plans
    where plan_end_date < plan_start_date
    union all
    select distinct la_code, census_year, 'ssd_cin_plans', cin_plan_id, 'cinp_cin_plan_start_date', '4014',
           cast(plan_start_date as {{ dbt.type_string() }})
    from cin_plan_pairs
),

{{ csc_dfe_rule_output('failures') }}
