{#
  DfE CIN census rules on the shape of a child's UPN, on the census year's return as the
  export writes it (int_dq_dfe_census_children), as DfE's validator reads them:
    1530  a 13-character UPN whose characters 2-4 are not a recognised LA code (seed
          dfe_upn_la_codes, from DfE's rule text)
    1540  a UPN whose characters 5-12 are not all digits (a UPN too short to have them too);
          an imported return keeps such a UPN for the rule (schema.RULE_CHECKED_VALUES)
    1550  a 13-character UPN whose character 13 is not a digit or a letter DfE allows (not
          I, O or S, not lower case)
    1560Q a FormerUPN (pers_former_upn) that is not a letter and 12 digits: not 13 characters,
          a first character that is not a letter, or characters 2-13 not all digits (so a
          temporary UPN, a letter at character 13, is queried, as DfE's validator does); an
          imported return keeps such a FormerUPN for the rule (schema.RULE_CHECKED_VALUES)
  The check letter (1510) and a UPN shared by two children (1520) are
  int_dq_dfe_child_identifiers'. Placed at the child's first episode of the year; value_seen
  never holds a UPN.
#}
with

census_children as (
    select la_code, census_year, first_referral_id, upn, former_upn
    from {{ ref('int_dq_dfe_census_children') }}
),

children as (
    select la_code, census_year, first_referral_id, upn from census_children where upn is not null
),

former_upns as (
    select la_code, census_year, first_referral_id, former_upn from census_children where former_upn is not null
),

la_codes as (
    select la_code as upn_la_code from {{ ref('dfe_upn_la_codes') }}
),

failures as (
    select children.la_code, children.census_year, 'ssd_cin_episodes' as table_name,
           children.first_referral_id as record_id, 'pers_upn' as column_name, '1530' as rule_code,
           cast(null as {{ dbt.type_string() }}) as value_seen
    from children
    left join la_codes on la_codes.upn_la_code = substring(children.upn, 2, 3)
    where length(children.upn) = 13 and la_codes.upn_la_code is null
    union all
    select la_code, census_year, 'ssd_cin_episodes', first_referral_id, 'pers_upn', '1540',
           cast(null as {{ dbt.type_string() }})
    from children
    where not {{ csc_regexp_full_match('substring(upn, 5, 8)', '[0-9]+') }}
    union all
    select la_code, census_year, 'ssd_cin_episodes', first_referral_id, 'pers_upn', '1550',
           cast(null as {{ dbt.type_string() }})
    from children
    where length(upn) = 13 and not {{ csc_regexp_full_match('substring(upn, 13, 1)', '[A-HJ-NP-RT-Z0-9]') }}
    union all
    select la_code, census_year, 'ssd_cin_episodes', first_referral_id, 'pers_former_upn', '1560Q',
           cast(null as {{ dbt.type_string() }})
    from former_upns
    where not {{ csc_regexp_full_match('former_upn', '[A-Za-z][0-9]{12}') }}
),

{{ csc_dfe_rule_output('failures') }}
