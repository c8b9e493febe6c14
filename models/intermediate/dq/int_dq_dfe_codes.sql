{#
  DfE CIN census rules on codes outside DfE's code sets (seed ref_cin_codes owns the lists,
  with the years each code is valid in), on the census year's return as the export writes it
  (models/marts/cin_census), as DfE's validator reads them:
    4220  an Ethnicity that is not a code (a missing one is written NOBT, is_ethnicity_filled)
    8866  a ReferralSource that is not a code, for a referral from 1 April 2013 (a missing one
          is written 10, is_source_filled)
    8650  a PrimaryNeedCode that is not a code (a missing one is 8610's)
    8640  a ReasonForClosure that is not a code
    8905  a CP plan's InitialCategoryOfAbuse missing, or not a code
  An imported return keeps an unknown code (the importer reads past it with a warning:
  csc.cin_census.schema), so the rule, not the import, reports it. Placed at the child's
  first episode of the year (4220), the episode, or the CP plan; value_seen holds the code.
#}
with

codes as (
    select code_list, code, coalesce(first_year, 0) as first_year, coalesce(last_year, 9999) as last_year
    from {{ ref('ref_cin_codes') }}
),

census as (
    select la_code, census_year, ruleset_year from {{ ref('int_dq_census_period') }}
),

-- one row per coded value the return holds: (list, code) and where it is placed
coded_values as (
    select children.la_code, children.census_year, 'ssd_cin_episodes' as table_name,
           children.first_referral_id as record_id, 'pers_ethnicity' as column_name, '4220' as rule_code,
           'ethnicity' as code_list, written.ethnicity_code as code
    from {{ ref('int_dq_dfe_census_children') }} as children
    inner join {{ ref('cin_census_children') }} as written
        on written.la_code = children.la_code
        and written.census_year = children.census_year
        and written.child_key = children.child_key
    where not written.is_ethnicity_filled
    union all
    select la_code, census_year, 'ssd_cin_episodes', referral_id, 'cine_referral_source_code', '8866',
           'referral_source', referral_source_code
    from {{ ref('cin_census_episodes') }}
    where has_person and not is_source_filled and referral_date >= cast('2013-04-01' as date)
    union all
    select la_code, census_year, 'ssd_cin_episodes', referral_id, 'cine_cin_primary_need_code', '8650',
           'primary_need', primary_need_code
    from {{ ref('cin_census_episodes') }}
    where has_person and primary_need_code is not null
    union all
    select la_code, census_year, 'ssd_cin_episodes', referral_id, 'cine_close_reason', '8640',
           'closure_reason', close_reason_code
    from {{ ref('cin_census_episodes') }}
    where has_person and close_reason_code is not null
    union all
    select plans.la_code, plans.census_year, 'ssd_cp_plans', plans.cp_plan_id, 'cppl_cp_plan_initial_category',
           '8905', 'cp_category', plans.initial_category_code
    from {{ ref('cin_census_cp_plans') }} as plans
    inner join {{ ref('cin_census_episodes') }} as episodes
        on episodes.la_code = plans.la_code
        and episodes.census_year = plans.census_year
        and episodes.referral_id = plans.referral_id
    where episodes.has_person
),

failures as (
    select coded_values.la_code, coded_values.census_year, coded_values.table_name, coded_values.record_id,
           coded_values.column_name, coded_values.rule_code, coded_values.code as value_seen
    from coded_values
    inner join census
        on census.la_code = coded_values.la_code
        and census.census_year = coded_values.census_year
    where not exists (
        select 1 from codes
        where codes.code_list = coded_values.code_list
          and codes.code = coded_values.code
          and census.ruleset_year between codes.first_year and codes.last_year
    )
),

{{ csc_dfe_rule_output('failures') }}
