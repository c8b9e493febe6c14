{#
  DfE CIN census rules on a child's date of death (as the return shows it: on or before the
  ReferenceDate), on the census year's return as the export writes it, as DfE's validator
  reads them:
    4008  a CIN plan starting after the date of death
    4009Q a CIN plan ending after the date of death
    8915  a CP plan starting after the date of death
    8920  a CP plan ending after the date of death
    8535Q a date of death and a date of birth after it, or none
    8555Q a referral after the date of death
    8585Q an episode closed RC2 (died) for a child with no date of death
    8545Q a date of death before the census year (the return shows none after the
          ReferenceDate: cin_census_children)
  Placed at the plan, the episode, or (8535Q) the child's first episode of the year.
#}
with

children as (
    select la_code, census_year, census_start_date, child_key, date_of_birth, date_of_death, first_referral_id
    from {{ ref('int_dq_dfe_census_children') }}
),

episodes as (
    select episodes.la_code, episodes.census_year, episodes.referral_id, episodes.referral_date,
           episodes.close_reason_code, children.date_of_death
    from {{ ref('cin_census_episodes') }} as episodes
    inner join children
        on children.la_code = episodes.la_code
        and children.census_year = episodes.census_year
        and children.child_key = episodes.child_key
),

plans as (
    select cin_plans.la_code, cin_plans.census_year, 'ssd_cin_plans' as table_name,
           cin_plans.cin_plan_id as plan_id, 'cinp' as prefix, cin_plans.plan_start_date,
           cin_plans.plan_end_date, episodes.date_of_death
    from {{ ref('cin_census_cin_plans') }} as cin_plans
    inner join episodes
        on episodes.la_code = cin_plans.la_code
        and episodes.census_year = cin_plans.census_year
        and episodes.referral_id = cin_plans.referral_id
    where episodes.date_of_death is not null
    union all
    select cp_plans.la_code, cp_plans.census_year, 'ssd_cp_plans', cp_plans.cp_plan_id, 'cppl',
           cp_plans.plan_start_date, cp_plans.plan_end_date, episodes.date_of_death
    from {{ ref('cin_census_cp_plans') }} as cp_plans
    inner join episodes
        on episodes.la_code = cp_plans.la_code
        and episodes.census_year = cp_plans.census_year
        and episodes.referral_id = cp_plans.referral_id
    where episodes.date_of_death is not null
),

failures as (
    select la_code, census_year, table_name, plan_id as record_id,
           case when prefix = 'cinp' then 'cinp_cin_plan_start_date' else 'cppl_cp_plan_start_date' end
               as column_name,
           case when prefix = 'cinp' then '4008' else '8915' end as rule_code,
           cast(plan_start_date as {{ dbt.type_string() }}) as value_seen
    from plans
    where plan_start_date > date_of_death
    union all
    select la_code, census_year, table_name, plan_id,
           case when prefix = 'cinp' then 'cinp_cin_plan_end_date' else 'cppl_cp_plan_end_date' end,
           case when prefix = 'cinp' then '4009Q' else '8920' end,
           cast(plan_end_date as {{ dbt.type_string() }})
    from plans
    where plan_end_date > date_of_death
    union all
    select la_code, census_year, 'ssd_cin_episodes', first_referral_id, 'pers_death_date', '8535Q',
           cast(null as {{ dbt.type_string() }})
    from children
    where date_of_death is not null
      and (date_of_birth is null or date_of_birth > date_of_death)
    union all
    select la_code, census_year, 'ssd_cin_episodes', first_referral_id, 'pers_death_date', '8545Q',
           cast(date_of_death as {{ dbt.type_string() }})
    from children
    where date_of_death < census_start_date
    union all
    select la_code, census_year, 'ssd_cin_episodes', referral_id, 'cine_referral_date', '8555Q',
           cast(referral_date as {{ dbt.type_string() }})
    from episodes
    where referral_date > date_of_death
    union all
    select la_code, census_year, 'ssd_cin_episodes', referral_id, 'cine_close_reason', '8585Q', close_reason_code
    from episodes
    where close_reason_code = 'RC2'
      and date_of_death is null
),

{{ csc_dfe_rule_output('failures') }}
