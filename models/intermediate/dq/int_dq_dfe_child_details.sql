{#
  DfE CIN census rules on a child's LA id and dates of birth (module ChildIdentifiers), on
  the census year's return as the export writes it (int_dq_dfe_census_children), as DfE's
  validator reads them:
    1570  an LAchildID longer than 20 characters (from 2024-25)
    1580  an LAchildID holding a character that is neither a letter nor a digit (from
          2024-25; letters of any alphabet count, as Python's isalnum reads them)
    8520  a date of birth after the ReferenceDate (on an extract such a child is written as
          unborn, so only a return checked as it is can fail: cin_census_children)
    8525Q both a date of birth and an expected date of birth, or neither
    8530Q an expected date of birth on or before the ReferenceDate minus 30 days, or on or
          after the ReferenceDate plus 9 months ("March to December of the census year end")
    8775Q born before the ReferenceDate minus 25 years, with an episode of the year open or
          closed after the 25th birthday
  A rule fires only in the years whose ruleset has it (the join to seed dfe_cin_rules).
  Placed at the child's first episode of the year; value_seen holds no identifier.
#}
with

children as (
    select la_code, census_year, ruleset_year, reference_date, child_key, la_child_id, date_of_birth,
           expected_date_of_birth, first_referral_id
    from {{ ref('int_dq_dfe_census_children') }}
),

-- 8775Q: an episode of the year still open, or closed after the child turned 25
episodes_after_25 as (
    select distinct children.la_code, children.child_key, children.ruleset_year, children.first_referral_id
    from children
    inner join {{ ref('cin_census_episodes') }} as episodes
        on episodes.la_code = children.la_code
        and episodes.child_key = children.child_key
        and episodes.census_year = children.census_year
    where children.date_of_birth < {{ dbt.dateadd('year', -25, 'children.reference_date') }}
      and (episodes.close_date is null
           or episodes.close_date > {{ dbt.dateadd('year', 25, 'children.date_of_birth') }})
),

failures as (
    select la_code, ruleset_year, first_referral_id, 'pers_person_id' as column_name, '1570' as rule_code,
           cast(length(la_child_id) as {{ dbt.type_string() }}) as value_seen
    from children
    where length(la_child_id) > 20
    union all
    select la_code, ruleset_year, first_referral_id, 'pers_person_id', '1580', cast(null as {{ dbt.type_string() }})
    from children
    where not {{ csc_regexp_full_match('la_child_id', '[\\pL\\pN]+') }}
    union all
    select la_code, ruleset_year, first_referral_id, 'pers_dob', '8520', cast(null as {{ dbt.type_string() }})
    from children
    where date_of_birth > reference_date
    union all
    select la_code, ruleset_year, first_referral_id, 'pers_dob', '8525Q', cast(null as {{ dbt.type_string() }})
    from children
    where (date_of_birth is null) = (expected_date_of_birth is null)
    union all
    select la_code, ruleset_year, first_referral_id, 'pers_expected_dob', '8530Q',
           cast(expected_date_of_birth as {{ dbt.type_string() }})
    from children
    where expected_date_of_birth <= {{ dbt.dateadd('day', -30, 'reference_date') }}
       or expected_date_of_birth >= {{ dbt.dateadd('month', 9, 'reference_date') }}
    union all
    select la_code, ruleset_year, first_referral_id, 'pers_dob', '8775Q', cast(null as {{ dbt.type_string() }})
    from episodes_after_25
),

rules as (
    select collection_year, rule_code, message from {{ ref('dfe_cin_rules') }}
)

select
    failures.la_code,
    'ssd_cin_episodes' as table_name,
    failures.first_referral_id as record_id,
    failures.column_name,
    failures.rule_code,
    'warn' as severity,
    rules.message,
    failures.value_seen,
    'dfe' as rule_source
from failures
inner join rules
    on rules.collection_year = failures.ruleset_year
    and rules.rule_code = failures.rule_code
