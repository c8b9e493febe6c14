{#
  DfE CIN census rules on a child's disabilities (module Disabilities), on the census year's
  return as the export writes it (cin_census_disabilities: each child's distinct codes; a
  return checked as it is keeps a repeated code), as DfE's validator reads them:
    8790  NONE beside any other disability code (letter case ignored, as the validator does)
    8794  a code the child has twice or more (only a return checked as it is can fail)
    8540  a child with a date of birth and a referral that is not NFA, with no disability (the
          export writes no Disabilities then) or a code that is none of DfE's (seed
          ref_cin_codes), compared as written. DfE's validator never raises it (its rule file
          hands the engine ROW_ID_x where the engine reads ROW_ID, and the engine drops the
          KeyError); we follow the rule text: scripts/dev/referee/exceptions.csv
  8790 and 8794 are placed at the child's first episode of the year (int_dq_dfe_census_children
  owns that), 8540 at the child's person row; value_seen holds the other codes (8790) or the
  repeated code (8794).
#}
with

children as (
    select la_code, census_year, child_key, first_referral_id, date_of_birth, has_further_action
    from {{ ref('int_dq_dfe_census_children') }}
),

valid_codes as (
    select distinct code from {{ ref('ref_cin_codes') }} where code_list = 'disability'
),

-- the codes of the census year's children only, before they are grouped: the census models
-- hold every year (England at 0.25 size: 0.86 M disability rows, 0.12 M of the year)
disabilities as (
    select disabilities.la_code, disabilities.census_year, disabilities.child_key,
           upper(disabilities.disability_code) as disability_code,
           valid_codes.code is not null as is_valid_code
    from {{ ref('cin_census_disabilities') }} as disabilities
    inner join children
        on children.la_code = disabilities.la_code
        and children.census_year = disabilities.census_year
        and children.child_key = disabilities.child_key
    left join valid_codes on valid_codes.code = disabilities.disability_code
),

child_summary as (
    select
        la_code,
        census_year,
        child_key,
        max(case when disability_code = 'NONE' then 1 else 0 end) = 1 as has_none,
        -- Tested apart from the list: an empty list is null on DuckDB but '' on Spark.
        max(case when disability_code <> 'NONE' then 1 else 0 end) = 1 as has_other,
        max(case when is_valid_code then 0 else 1 end) = 1 as has_invalid,
        {{ dbt.listagg("case when disability_code <> 'NONE' then disability_code end", "' '",
                       'order by disability_code') }} as other_codes
    from disabilities
    group by la_code, census_year, child_key
),

repeated_codes as (
    select la_code, census_year, child_key, disability_code
    from disabilities
    group by la_code, census_year, child_key, disability_code
    having count(*) >= 2
),

failures as (
    select children.la_code, children.census_year, 'ssd_cin_episodes' as table_name,
           children.first_referral_id as record_id, 'disa_disability_code' as column_name,
           '8790' as rule_code, child_summary.other_codes as value_seen
    from child_summary
    inner join children
        on children.la_code = child_summary.la_code
        and children.census_year = child_summary.census_year
        and children.child_key = child_summary.child_key
    where child_summary.has_none and child_summary.has_other
    union all
    select children.la_code, children.census_year, 'ssd_cin_episodes', children.first_referral_id,
           'disa_disability_code', '8794', repeated_codes.disability_code
    from repeated_codes
    inner join children
        on children.la_code = repeated_codes.la_code
        and children.census_year = repeated_codes.census_year
        and children.child_key = repeated_codes.child_key
    union all
    -- placed at the child (ssd_person, by child_key: int_dq_record_locations), as DfE places it
    -- at ChildCharacteristics: no KPI reads a disability, so it caveats none (int_dq_kpi_caveats)
    select children.la_code, children.census_year, 'ssd_person', children.child_key,
           'disa_disability_code', '8540', cast(null as {{ dbt.type_string() }})
    from children
    left join child_summary
        on child_summary.la_code = children.la_code
        and child_summary.census_year = children.census_year
        and child_summary.child_key = children.child_key
    where children.date_of_birth is not null
      and children.has_further_action
      and (child_summary.child_key is null or child_summary.has_invalid)
),

{{ csc_dfe_rule_output('failures') }}
