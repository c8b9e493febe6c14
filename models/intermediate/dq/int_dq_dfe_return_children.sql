{#
  DfE CIN census rules on the children a return holds, as DfE's validator reads them:
    8500  a child without an LAchildID
    8510  an LAchildID held by more than one child of the return (each of them fails)
    8590  a child with no CINdetails (no episode)
  A return checked as it is (is_as_given: csc check-cin-census) holds every person of the
  extract, episode or none; otherwise the census year's return holds the children with an
  episode in it (cin_census_episodes), so 8590 cannot fail there. An LAchildID missing or
  repeated comes only from an imported return: the importer keeps such a child under a
  person id of its own (csc.cin_census.child_ids), and stg_ssd__person.la_child_id is the
  LAchildID as the return gives it. A child may have no episode to point at, so the failure
  is placed at its ssd_person row (by child_key: int_dq_record_locations).
#}
with

census as (
    select census_period.la_code, census_period.census_year, census_years.is_as_given
    from {{ ref('int_dq_census_period') }} as census_period
    inner join {{ ref('int_cin_census_years') }} as census_years
        on census_years.la_code = census_period.la_code
        and census_years.census_year = census_period.census_year
),

people as (
    select la_code, child_key, la_child_id from {{ ref('stg_ssd__person') }}
),

-- the census year's only (the census models hold every year: England at 0.25 size, 1.64 M
-- episode rows, 0.29 M of the year)
children_with_episodes as (
    select distinct episodes.la_code, episodes.census_year, episodes.child_key
    from {{ ref('cin_census_episodes') }} as episodes
    inner join census
        on census.la_code = episodes.la_code
        and census.census_year = episodes.census_year
    where episodes.has_person
),

-- the return's children: with an episode in the year, or (a return as it is) every person
children as (
    select
        census.la_code,
        census.census_year,
        people.child_key,
        people.la_child_id,
        children_with_episodes.child_key is not null as has_episode
    from census
    inner join people on people.la_code = census.la_code
    left join children_with_episodes
        on children_with_episodes.la_code = census.la_code
        and children_with_episodes.census_year = census.census_year
        and children_with_episodes.child_key = people.child_key
    where census.is_as_given or children_with_episodes.child_key is not null
),

repeated_ids as (
    select la_code, census_year, la_child_id
    from children
    where la_child_id is not null
    group by la_code, census_year, la_child_id
    having count(*) > 1
),

failures as (
    select la_code, census_year, child_key, '8500' as rule_code
    from children
    where la_child_id is null
    union all
    select children.la_code, children.census_year, children.child_key, '8510'
    from children
    inner join repeated_ids
        on repeated_ids.la_code = children.la_code
        and repeated_ids.census_year = children.census_year
        and repeated_ids.la_child_id = children.la_child_id
    union all
    select la_code, census_year, child_key, '8590'
    from children
    where not has_episode
),

placed_failures as (
    select
        la_code,
        census_year,
        'ssd_person' as table_name,
        child_key as record_id,
        'pers_person_id' as column_name,
        rule_code,
        cast(null as {{ dbt.type_string() }}) as value_seen
    from failures
),

{{ csc_dfe_rule_output('placed_failures') }}
