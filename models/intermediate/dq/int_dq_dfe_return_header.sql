{#
  DfE CIN census rule 100 on the return's header: its ReferenceDate must be 31 March of its
  collection Year. Only a return checked as it is (var census_as_given, set by csc
  check-cin-census) has a header of its own: var census_reference_date is its ReferenceDate
  (blank when missing or not an xs:date; the checker passes only a date it has read, so the
  literal below is always a date). An
  extract's return is written by csc export-cin-census, whose header always holds the census
  date, so the rule is not evaluated there. One row per council, record_id null (DfE raises
  it on the header, no child).
#}
with

census as (
    select la_code, census_year, reference_date from {{ ref('int_dq_census_period') }}
),

headers as (
    select
        la_code,
        census_year,
        reference_date,
        {% if var('census_reference_date') %}
        cast('{{ var("census_reference_date") }}' as date) as given_date
        {% else %}
        cast(null as date) as given_date
        {% endif %}
    from census
    where {{ 'true' if var('census_as_given') else 'false' }}
),

failures as (
    select
        la_code, census_year, 'ssd_cin_episodes' as table_name, cast(null as {{ dbt.type_string() }}) as record_id,
        cast(null as {{ dbt.type_string() }}) as column_name, '100' as rule_code,
        cast(given_date as {{ dbt.type_string() }}) as value_seen
    from headers
    where given_date is null or given_date <> reference_date
),

{{ csc_dfe_rule_output('failures') }}
