{#
  The children of each census year's return (ChildIdentifiers and ChildCharacteristics): every
  child with an episode in the year who is in ssd_person, as known on the ReferenceDate.
  la_child_id, upn and former_upn are the council's own identifiers: this model lives in schema
  cin_census, which is never published. A child born after the ReferenceDate has only an
  expected date of birth and an unknown sex (DfE 8750: an unborn child's sex is 0); a death
  after it is not shown. A return checked as it is (is_as_given) keeps the date of birth the
  file gives, so DfE 8520 (born after the ReferenceDate) sees it. Missing required codes take their "unknown" value, flagged:
  sex U (is_sex_filled), ethnicity NOBT, not yet obtained (is_ethnicity_filled).
#}
with

people as (
    select la_code, child_key, la_child_id, sex, ethnicity_code, date_of_birth,
           expected_date_of_birth, date_of_death, upn, upn_unknown_reason, former_upn
    from {{ ref('stg_ssd__person') }}
),

children_in_year as (
    select distinct la_code, census_year, child_key
    from {{ ref('cin_census_episodes') }}
    where has_person
),

census_years as (
    select la_code, census_year, reference_date, is_as_given from {{ ref('int_cin_census_years') }}
),

known_on_reference_date as (
    select
        children_in_year.la_code,
        children_in_year.census_year,
        children_in_year.child_key,
        people.la_child_id,
        people.upn,
        people.upn_unknown_reason,
        people.former_upn,
        people.date_of_birth > census_years.reference_date and not census_years.is_as_given as is_unborn,
        people.date_of_birth,
        people.expected_date_of_birth,
        case when people.date_of_death <= census_years.reference_date then people.date_of_death end
            as date_of_death,
        people.sex,
        people.ethnicity_code
    from children_in_year
    inner join people
        on people.la_code = children_in_year.la_code
        and people.child_key = children_in_year.child_key
    inner join census_years
        on census_years.la_code = children_in_year.la_code
        and census_years.census_year = children_in_year.census_year
)

select
    la_code,
    census_year,
    child_key,
    la_child_id,
    upn,
    upn_unknown_reason,
    former_upn,
    case when coalesce(is_unborn, false) then null else date_of_birth end as date_of_birth,
    case when coalesce(is_unborn, false) then coalesce(expected_date_of_birth, date_of_birth)
        else expected_date_of_birth end as expected_date_of_birth,
    date_of_death,
    case
        when coalesce(is_unborn, false) or date_of_birth is null and expected_date_of_birth is not null then 'U'
        when sex in ('M', 'F', 'U') then sex
        else 'U'
    end as sex,
    sex is null or sex not in ('M', 'F', 'U') as is_sex_filled,
    coalesce(ethnicity_code, 'NOBT') as ethnicity_code,
    ethnicity_code is null as is_ethnicity_filled
from known_on_reference_date
