{#
  DfE CIN census rules on the census year's return as a whole: DfE raises each once for the
  return, on no child, so a failure is one row per council with record_id null (the return,
  not a record) and the counts in value_seen.
    2883  more CP plans starting in the census year than initial conferences held in it
          (DateOfInitialCPC at CINdetails level plus at S47 enquiries), every record of the
          return counted as DfE's validator counts it
    2886Q more than 2% of the return's children with sex unknown (U) and no expected date of
          birth, from 2024-25. In 2022-23 and 2023-24 (GenderCurrent 0 or missing) DfE's
          validator never raises it (`isna() | GenderCurrent == 0` binds as
          `(isna() | GenderCurrent) == 0`); a year's five exceptions are used, so we follow it
    2887Q 7 or fewer different disability codes other than NONE used in the return (DfE's
          text; DfE's validator counts the NONE rows instead, so both fire only on a return
          with few codes and few NONE rows: scripts/dev/referee/faults.py plants that)
    2888Q some child has a disability code other than NONE and none has two or more
#}
with

census as (
    select la_code, census_year, census_start_date, reference_date, ruleset_year
    from {{ ref('int_dq_census_period') }}
),
episodes as (
    select la_code, census_year, referral_id from {{ ref('cin_census_episodes') }} where has_person
),
-- the return's dates the counts read: CP plan starts, and conferences at either level
census_dates as (
    select plans.la_code, plans.census_year, 'cp_plan_start' as date_kind, plans.plan_start_date as day
    from {{ ref('cin_census_cp_plans') }} as plans
    inner join episodes
        on episodes.la_code = plans.la_code
        and episodes.census_year = plans.census_year
        and episodes.referral_id = plans.referral_id
    union all
    select icpcs.la_code, icpcs.census_year, 'icpc', icpcs.icpc_date
    from {{ ref('cin_census_episode_icpcs') }} as icpcs
    inner join episodes
        on episodes.la_code = icpcs.la_code
        and episodes.census_year = icpcs.census_year
        and episodes.referral_id = icpcs.referral_id
    where icpcs.is_written
    union all
    select s47.la_code, s47.census_year, 'icpc', s47.icpc_date
    from {{ ref('cin_census_s47_enquiries') }} as s47
    inner join episodes
        on episodes.la_code = s47.la_code
        and episodes.census_year = s47.census_year
        and episodes.referral_id = s47.referral_id
),
children as (
    select la_code, census_year, child_key, sex, expected_date_of_birth from {{ ref('cin_census_children') }}
),
other_codes as (
    select la_code, census_year, child_key, disability_code
    from {{ ref('cin_census_disabilities') }}
    where disability_code <> 'NONE'
),

plans_and_conferences as (
    select
        census.la_code, census.census_year,
        count(case when census_dates.date_kind = 'cp_plan_start' then 1 end) as plans_started,
        count(case when census_dates.date_kind = 'icpc' then 1 end) as conferences_held
    from census
    inner join census_dates
        on census_dates.la_code = census.la_code
        and census_dates.census_year = census.census_year
        and census_dates.day between census.census_start_date and census.reference_date
    group by census.la_code, census.census_year
),
sex_unknown as (
    select
        census.la_code, census.census_year, census.ruleset_year,
        count(*) as child_count,
        count(case when children.sex = 'U' and children.expected_date_of_birth is null then 1 end) as unknown_count
    from census
    inner join children on children.la_code = census.la_code and children.census_year = census.census_year
    group by census.la_code, census.census_year, census.ruleset_year
),
disability_codes as (
    select la_code, census_year, child_key, count(*) as code_count
    from other_codes
    group by la_code, census_year, child_key
),
disabled_children as (
    select la_code, census_year, count(*) as child_count, max(code_count) as most_codes
    from disability_codes
    group by la_code, census_year
),
-- every return of the year is counted, one without any disability code too (0 codes)
codes_used as (
    select census.la_code, census.census_year, count(distinct disabilities.disability_code) as code_count
    from census
    left join other_codes as disabilities
        on disabilities.la_code = census.la_code
        and disabilities.census_year = census.census_year
    group by census.la_code, census.census_year
),

failures as (
    select la_code, census_year, 'ssd_cp_plans' as table_name, cast(null as {{ dbt.type_string() }}) as record_id,
           'cppl_cp_plan_start_date' as column_name, '2883' as rule_code,
           {{ dbt.concat(["cast(plans_started as " ~ dbt.type_string() ~ ")", "' plans, '", "cast(conferences_held as " ~ dbt.type_string() ~ ")", "' conferences'"]) }} as value_seen
    from plans_and_conferences
    where plans_started > conferences_held
    union all
    select la_code, census_year, 'ssd_person', null, 'pers_sex', '2886Q',
           {{ dbt.concat(["cast(unknown_count as " ~ dbt.type_string() ~ ")", "' of '", "cast(child_count as " ~ dbt.type_string() ~ ")", "' children'"]) }}
    from sex_unknown
    -- more than 2%, in whole numbers
    where ruleset_year >= 2025 and 50 * unknown_count > child_count
    union all
    select la_code, census_year, 'ssd_disability', null, 'disa_disability_code', '2888Q',
           {{ dbt.concat(["cast(child_count as " ~ dbt.type_string() ~ ")", "' children, one code each'"]) }}
    from disabled_children
    where most_codes = 1
    union all
    select la_code, census_year, 'ssd_disability', null, 'disa_disability_code', '2887Q',
           {{ dbt.concat(["cast(code_count as " ~ dbt.type_string() ~ ")", "' codes'"]) }}
    from codes_used
    where code_count <= 7
),

{{ csc_dfe_rule_output('failures') }}
