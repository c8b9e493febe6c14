{#
  DfE CIN census rules on a child's identifiers (module ChildIdentifiers), on the census year's
  return (models/marts/cin_census; int_dq_census_period chooses the year), as DfE's validator
  reads them:
    1510  a UPN of 13 characters, digits after the first, whose check letter is wrong
    1520  a UPN shared by more than one child of the return
    8750  no date of birth, an expected one, and a sex other than unknown (an unborn child's sex
          is 0). Read on the recorded person: a child the extract shows born after the
          ReferenceDate is written unborn with sex 0 by the export, so it is not flagged.
    8770Q a child of school age with a referral that was not NFA, no UPN and no reason UN2-UN7
          for it. School age: to 2023-24 born on or before the ReferenceDate minus 6 years;
          from 2024-25 on or before (ReferenceDate + 4 months + 31 days) minus 6 years, i.e.
          31 August (DfE's validator changed the rule so in 2024-25)
    8772  UPNunknown UN7 (referral with no further action) with a referral that was not NFA
  A child's failure is placed at its first episode of the year (int_dq_dfe_census_children
  owns that). value_seen never holds a UPN.
#}
{%- set check_letters = 'ABCDEFGHJKLMNPQRTUVWXYZ' -%}
{%- set school_age_from_2025 = dbt.dateadd('year', -6, dbt.dateadd('day', 31, dbt.dateadd('month', 4, 'reference_date'))) -%}
with

children as (
    select la_code, ruleset_year, reference_date, child_key, upn, upn_unknown_reason, date_of_birth,
           expected_date_of_birth, first_referral_id, has_further_action
    from {{ ref('int_dq_dfe_census_children') }}
),

people as (
    select la_code, child_key, sex, date_of_birth from {{ ref('stg_ssd__person') }}
),

-- 1510: characters 2-13 weighted 2-13, the sum's remainder after dividing by 23, read as a letter.
-- A digit's value is its place in '0123456789' (never a cast: a letter, as in a temporary UPN,
-- must not fail the build, whichever order the engine evaluates the filter in)
upn_checks as (
    select
        la_code, child_key, upn,
        substring('{{ check_letters }}', cast(mod(
            {%- for position in range(2, 14) %}
            ({{ dbt.position('substring(upn, ' ~ position ~ ', 1)', "'0123456789'") }} - 1) * {{ position }}{{ ' +' if not loop.last else ', 23) as integer) + 1, 1) as check_letter' }}
            {%- endfor %}
    from children
    where length(upn) = 13
      {%- for position in range(2, 14) %}
      and substring(upn, {{ position }}, 1) between '0' and '9'
      {%- endfor %}
),

shared_upns as (
    select la_code, upn from children where upn is not null group by la_code, upn having count(*) > 1
),

failures as (
    select la_code, child_key, '1510' as rule_code, 'pers_upn' as column_name
    from upn_checks where check_letter <> upper(substring(upn, 1, 1))
    union all
    select children.la_code, children.child_key, '1520', 'pers_upn'
    from children
    inner join shared_upns on shared_upns.la_code = children.la_code and shared_upns.upn = children.upn
    union all
    select children.la_code, children.child_key, '8750', 'pers_sex'
    from children
    inner join people on people.la_code = children.la_code and people.child_key = children.child_key
    where people.date_of_birth is null and children.expected_date_of_birth is not null
      and people.sex in ('M', 'F')
    union all
    select la_code, child_key, '8770Q', 'pers_upn'
    from children
    where has_further_action
      and date_of_birth <= case
          when ruleset_year >= 2025 then {{ school_age_from_2025 }}
          else {{ dbt.dateadd('year', -6, 'reference_date') }}
      end
      and upn is null
      and coalesce(upper(upn_unknown_reason), '') not in ('UN2', 'UN3', 'UN4', 'UN5', 'UN6', 'UN7')
    union all
    select la_code, child_key, '8772', 'pers_upn_unknown'
    from children
    where has_further_action and upn is null and upper(upn_unknown_reason) = 'UN7'
),

rules as (
    select collection_year, rule_code, message from {{ ref('dfe_cin_rules') }}
)

select
    failures.la_code,
    'ssd_cin_episodes' as table_name,
    children.first_referral_id as record_id,
    failures.column_name,
    failures.rule_code,
    'warn' as severity,
    rules.message,
    cast(null as {{ dbt.type_string() }}) as value_seen,
    'dfe' as rule_source
from failures
inner join children
    on children.la_code = failures.la_code
    and children.child_key = failures.child_key
inner join rules
    on rules.collection_year = children.ruleset_year
    and rules.rule_code = failures.rule_code
