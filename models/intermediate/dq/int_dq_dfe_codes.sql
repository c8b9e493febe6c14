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
  csc.cin_census.schema), so the rule, not the import, reports it. A return checked as it is
  (is_as_given) is judged on each code as the file writes it (staging's *_as_given columns):
  DfE compares codes letter case and all, so "neg" fails 8905 there, while the export from an
  extract writes the code staging reads ("NEG"). Placed at the child's first episode of the
  year (4220), the episode, or the CP plan; value_seen holds the code.
#}
with

codes as (
    select code_list, code, coalesce(first_year, 0) as first_year, coalesce(last_year, 9999) as last_year
    from {{ ref('ref_cin_codes') }}
),

census as (
    select census_period.la_code, census_period.census_year, census_period.ruleset_year, census_years.is_as_given
    from {{ ref('int_dq_census_period') }} as census_period
    inner join {{ ref('int_cin_census_years') }} as census_years
        on census_years.la_code = census_period.la_code
        and census_years.census_year = census_period.census_year
),

episodes as (
    select written.la_code, written.census_year, written.referral_id, written.referral_date,
           written.is_source_filled, written.referral_source_code, written.primary_need_code,
           written.close_reason_code, staged.referral_source_as_given, staged.primary_need_as_given,
           staged.close_reason_as_given
    from {{ ref('cin_census_episodes') }} as written
    left join {{ ref('stg_ssd__cin_episodes') }} as staged
        on staged.la_code = written.la_code
        and staged.referral_id = written.referral_id
    where written.has_person
),

-- one row per coded value the return holds: (list, code as written, code as the file gives it)
coded_values as (
    select children.la_code, children.census_year, 'ssd_cin_episodes' as table_name,
           children.first_referral_id as record_id, 'pers_ethnicity' as column_name, '4220' as rule_code,
           'ethnicity' as code_list, written.ethnicity_code as code, staged.ethnicity_as_given as code_as_given
    from {{ ref('int_dq_dfe_census_children') }} as children
    inner join {{ ref('cin_census_children') }} as written
        on written.la_code = children.la_code
        and written.census_year = children.census_year
        and written.child_key = children.child_key
    left join {{ ref('stg_ssd__person') }} as staged
        on staged.la_code = children.la_code
        and staged.child_key = children.child_key
    where not written.is_ethnicity_filled
    union all
    select la_code, census_year, 'ssd_cin_episodes', referral_id, 'cine_referral_source_code', '8866',
           'referral_source', referral_source_code, referral_source_as_given
    from episodes
    where not is_source_filled and referral_date >= cast('2013-04-01' as date)
    union all
    select la_code, census_year, 'ssd_cin_episodes', referral_id, 'cine_cin_primary_need_code', '8650',
           'primary_need', primary_need_code, primary_need_as_given
    from episodes
    where primary_need_code is not null
    union all
    select la_code, census_year, 'ssd_cin_episodes', referral_id, 'cine_close_reason', '8640',
           'closure_reason', close_reason_code, close_reason_as_given
    from episodes
    where close_reason_code is not null
    union all
    select plans.la_code, plans.census_year, 'ssd_cp_plans', plans.cp_plan_id, 'cppl_cp_plan_initial_category',
           '8905', 'cp_category', plans.initial_category_code, staged.initial_category_as_given
    from {{ ref('cin_census_cp_plans') }} as plans
    inner join episodes
        on episodes.la_code = plans.la_code
        and episodes.census_year = plans.census_year
        and episodes.referral_id = plans.referral_id
    left join {{ ref('stg_ssd__cp_plans') }} as staged
        on staged.la_code = plans.la_code
        and staged.cp_plan_id = plans.cp_plan_id
),

checked_values as (
    select
        coded_values.la_code, coded_values.census_year, census.ruleset_year, coded_values.table_name,
        coded_values.record_id, coded_values.column_name, coded_values.rule_code, coded_values.code_list,
        case when census.is_as_given then coded_values.code_as_given else coded_values.code end as code
    from coded_values
    inner join census
        on census.la_code = coded_values.la_code
        and census.census_year = coded_values.census_year
),

failures as (
    select la_code, census_year, table_name, record_id, column_name, rule_code, code as value_seen
    from checked_values
    where not exists (
        select 1 from codes
        where codes.code_list = checked_values.code_list
          and codes.code = checked_values.code
          and checked_values.ruleset_year between codes.first_year and codes.last_year
    )
),

{{ csc_dfe_rule_output('failures') }}
