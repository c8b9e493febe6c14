{#
  DfE CIN census rules on a required value a return leaves out or writes in a form DfE does
  not accept, read as written (staging maps "m" or "neglect" to a code; DfE does not):
    4180  GenderCurrent (to 2023-24) or Sex (from 2024-25) missing or not a code (seed
          ref_cin_codes: gender_legacy, sex)
    8568  ReferralNFA missing or not 0/1 (true/false too)   8730  NumberOfPreviousCPP missing or < 0
    8910  LatestCategoryOfAbuse missing or not a code   8842Q a CPPreviewDate blank or unreadable
  Only a return checked as it is (is_as_given) can fail: the importer keeps such a child
  (csc.cin_census.schema.RULE_CHECKED_MISSING); the export from an extract fills each value.
#}
with

as_given as (
    select la_code, census_year from {{ ref('int_cin_census_years') }} where is_as_given
),

codes as (
    select code_list, code, coalesce(first_year, 0) as first_year, coalesce(last_year, 9999) as last_year
    from {{ ref('ref_cin_codes') }}
    where code_list in ('sex', 'gender_legacy', 'cp_category')
),

children as (
    select la_code, census_year, ruleset_year, child_key, first_referral_id
    from {{ ref('int_dq_dfe_census_children') }}
),

written_episodes as (
    select la_code, census_year, referral_id from {{ ref('cin_census_episodes') }} where has_person
),

plans as (
    select written.la_code, written.census_year, written.cp_plan_id
    from {{ ref('cin_census_cp_plans') }} as written
    inner join written_episodes
        on written_episodes.la_code = written.la_code
        and written_episodes.census_year = written.census_year
        and written_episodes.referral_id = written.referral_id
),

-- the values as the source gives them (the census models fill them)
people as (
    select la_code, child_key, sex_as_given, gender_as_given from {{ ref('stg_ssd__person') }}
),

staged_episodes as (
    select la_code, referral_id, is_referral_nfa from {{ ref('stg_ssd__cin_episodes') }}
),

reviews_without_date as (
    select reviews.la_code, reviews.census_year, reviews.cp_plan_id
    from {{ ref('cin_census_cp_reviews') }} as reviews
    inner join plans
        on plans.la_code = reviews.la_code
        and plans.census_year = reviews.census_year
        and plans.cp_plan_id = reviews.cp_plan_id
    where reviews.review_date is null
),

staged_plans as (
    select la_code, cp_plan_id, recorded_previous_cpp_count, latest_category_as_given
    from {{ ref('stg_ssd__cp_plans') }}
),

-- one row per value checked: the year's code list (null: no list) and whether it is missing
checked_values as (
    select children.la_code, children.census_year, children.ruleset_year, 'ssd_cin_episodes' as table_name,
           children.first_referral_id as record_id, 'pers_sex' as column_name, '4180' as rule_code,
           case when children.ruleset_year >= 2025 then 'sex' else 'gender_legacy' end as code_list,
           case when children.ruleset_year >= 2025 then people.sex_as_given else people.gender_as_given end
               as value_seen,
           false as is_invalid
    from children
    inner join people
        on people.la_code = children.la_code
        and people.child_key = children.child_key
    union all
    select written_episodes.la_code, written_episodes.census_year, 0, 'ssd_cin_episodes',
           written_episodes.referral_id, 'cine_referral_nfa', '8568', cast(null as {{ dbt.type_string() }}),
           cast(null as {{ dbt.type_string() }}), false
    from written_episodes
    inner join staged_episodes
        on staged_episodes.la_code = written_episodes.la_code
        and staged_episodes.referral_id = written_episodes.referral_id
    where staged_episodes.is_referral_nfa is null
    union all
    select plans.la_code, plans.census_year, 0, 'ssd_cp_plans', plans.cp_plan_id, 'cppl_number_of_previous_cpp',
           '8730', cast(null as {{ dbt.type_string() }}),
           cast(staged_plans.recorded_previous_cpp_count as {{ dbt.type_string() }}),
           coalesce(staged_plans.recorded_previous_cpp_count < 0, false)
    from plans
    inner join staged_plans
        on staged_plans.la_code = plans.la_code
        and staged_plans.cp_plan_id = plans.cp_plan_id
    union all
    select la_code, census_year, 0, 'ssd_cp_plans', cp_plan_id, 'cppr_cp_review_date', '8842Q',
           cast(null as {{ dbt.type_string() }}), cast(null as {{ dbt.type_string() }}), false
    from reviews_without_date
    union all
    select plans.la_code, plans.census_year, 0, 'ssd_cp_plans', plans.cp_plan_id,
           'cppl_cp_plan_latest_category', '8910', 'cp_category', staged_plans.latest_category_as_given, false
    from plans
    inner join staged_plans
        on staged_plans.la_code = plans.la_code
        and staged_plans.cp_plan_id = plans.cp_plan_id
),

failures as (
    select checked_values.la_code, checked_values.census_year, checked_values.table_name,
           checked_values.record_id, checked_values.column_name, checked_values.rule_code,
           checked_values.value_seen
    from checked_values
    inner join as_given
        on as_given.la_code = checked_values.la_code
        and as_given.census_year = checked_values.census_year
    where checked_values.value_seen is null
       or checked_values.is_invalid
       or checked_values.code_list is not null and not exists (
           select 1 from codes
           where codes.code_list = checked_values.code_list
             and codes.code = checked_values.value_seen
             and checked_values.ruleset_year between codes.first_year and codes.last_year
       )
),

{{ csc_dfe_rule_output('failures') }}
