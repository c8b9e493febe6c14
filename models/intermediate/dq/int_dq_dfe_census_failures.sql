{#
  The DfE rule failures on records the census year's return shows (int_dq_dfe_census_records:
  the rules written on the whole extract also flag records of other years, which
  marts.dq_issues keeps), with the child and the month the failing record was made (its
  record_date; a record made before the census year, or undated, counts in the year's first
  month: it was carried in). The one owner of "a failure on the return" for
  dq_census_readiness and dq_census_readiness_monthly.
#}
with

census as (
    select la_code, census_year, census_start_date from {{ ref('int_dq_census_period') }}
),

rule_failures as (
    select la_code, table_name, record_id, rule_code from {{ ref('int_dq_dfe_rules') }}
),

census_records as (
    select la_code, table_name, record_id, record_date from {{ ref('int_dq_dfe_census_records') }}
),

record_locations as (
    select la_code, table_name, record_id, child_key from {{ ref('int_dq_record_locations') }}
),

failures_on_return as (
    select
        rule_failures.la_code,
        census.census_year,
        rule_failures.rule_code,
        rule_failures.table_name,
        rule_failures.record_id,
        record_locations.child_key,
        {{ dbt.date_trunc('month', 'greatest(coalesce(census_records.record_date, census.census_start_date), census.census_start_date)') }}
            as failure_month
    from rule_failures
    inner join census_records
        on census_records.la_code = rule_failures.la_code
        and census_records.table_name = rule_failures.table_name
        and census_records.record_id = rule_failures.record_id
    inner join census
        on census.la_code = rule_failures.la_code
    left join record_locations
        on record_locations.la_code = rule_failures.la_code
        and record_locations.table_name = rule_failures.table_name
        and record_locations.record_id = rule_failures.record_id
)

select
    la_code, census_year, rule_code, table_name, record_id, child_key,
    cast(failure_month as date) as failure_month
from failures_on_return
