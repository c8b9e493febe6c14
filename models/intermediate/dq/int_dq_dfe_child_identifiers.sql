{#
  DfE CIN census rules on a child's identifiers (module ChildIdentifiers), on the census year's
  return (models/marts/cin_census; int_dq_census_period chooses the year), as DfE's validator
  reads them:
    1510  a UPN of 13 characters, digits after the first, whose check letter is wrong
    1520  a UPN shared by more than one child of the return
    8750  no date of birth, an expected one, and a sex other than unknown (an unborn child's sex
          is 0). Read on the recorded person: a child the extract shows born after the
          ReferenceDate is written unborn with sex 0 by the export, so it is not flagged.
    8770Q a child 6 or over at the ReferenceDate with a referral that was not NFA, no UPN and no
          reason UN2-UN7 for it
    8772  UPNunknown UN7 (referral with no further action) with a referral that was not NFA
  A child's failure is placed at its first episode of the year (ssd_cin_episodes): the person
  line would carry the person id. value_seen never holds a UPN.
#}
{%- set check_letters = 'ABCDEFGHJKLMNPQRTUVWXYZ' -%}
with

census as (
    select la_code, census_year, reference_date, ruleset_year from {{ ref('int_dq_census_period') }}
),

children as (
    select children.la_code, children.census_year, children.child_key, children.upn,
           children.upn_unknown_reason, children.date_of_birth, children.expected_date_of_birth
    from {{ ref('cin_census_children') }} as children
    inner join census
        on census.la_code = children.la_code
        and census.census_year = children.census_year
),

people as (
    select la_code, child_key, sex, date_of_birth from {{ ref('stg_ssd__person') }}
),

episodes as (
    select episodes.la_code, episodes.child_key, episodes.referral_id, episodes.referral_date,
           episodes.is_referral_nfa
    from {{ ref('cin_census_episodes') }} as episodes
    inner join census
        on census.la_code = episodes.la_code
        and census.census_year = episodes.census_year
    where episodes.has_person
),

first_episodes as (
    select la_code, child_key, referral_id
    from (
        select la_code, child_key, referral_id,
               row_number() over (partition by la_code, child_key order by referral_date, referral_id) as position
        from episodes
    ) as ranked
    where position = 1
),

children_with_further_action as (
    select distinct la_code, child_key from episodes where not is_referral_nfa
),

-- 1510: characters 2-13 weighted 2-13, the sum's remainder after dividing by 23, read as a letter
upn_checks as (
    select
        la_code, child_key, upn,
        substring('{{ check_letters }}', cast(mod(
            {%- for position in range(2, 14) %}
            {{ dbt.safe_cast('substring(upn, ' ~ position ~ ', 1)', api.Column.translate_type('integer')) }} * {{ position }}{{ ' +' if not loop.last else ', 23) as integer) + 1, 1) as check_letter' }}
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
    select children.la_code, children.child_key, '8770Q', 'pers_upn'
    from children
    inner join census on census.la_code = children.la_code
    inner join children_with_further_action as acted
        on acted.la_code = children.la_code and acted.child_key = children.child_key
    where children.date_of_birth <= {{ dbt.dateadd('year', -6, 'census.reference_date') }}
      and children.upn is null
      and coalesce(upper(children.upn_unknown_reason), '') not in ('UN2', 'UN3', 'UN4', 'UN5', 'UN6', 'UN7')
    union all
    select children.la_code, children.child_key, '8772', 'pers_upn_unknown'
    from children
    inner join children_with_further_action as acted
        on acted.la_code = children.la_code and acted.child_key = children.child_key
    where children.upn is null and upper(children.upn_unknown_reason) = 'UN7'
),

messages as (
    select census.la_code, rules.rule_code, rules.message
    from census
    inner join {{ ref('dfe_cin_rules') }} as rules on rules.collection_year = census.ruleset_year
)

select
    failures.la_code,
    'ssd_cin_episodes' as table_name,
    first_episodes.referral_id as record_id,
    failures.column_name,
    failures.rule_code,
    'warn' as severity,
    messages.message,
    cast(null as {{ dbt.type_string() }}) as value_seen,
    'dfe' as rule_source
from failures
inner join first_episodes
    on first_episodes.la_code = failures.la_code
    and first_episodes.child_key = failures.child_key
inner join messages
    on messages.la_code = failures.la_code
    and messages.rule_code = failures.rule_code
