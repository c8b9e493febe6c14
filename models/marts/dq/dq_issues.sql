{#
  One row per data-quality problem found in the councils' extracts: the raw contract's row
  checks (rule_source contract), code lists (contract), DfE CIN census validation rules
  (dfe) and the warehouse's own rules (warehouse). Each row points at the landing file and
  line. Never a person id: record_id is null for ssd_person rows, and value_seen is null for
  id columns and the person table's dates.
#}
with

contract_issues as (select * from {{ ref('int_dq_contract_issues') }}),
code_issues as (select * from {{ ref('int_dq_code_issues') }}),
future_date_issues as (select * from {{ ref('int_dq_future_dates') }}),
dfe_rule_failures as (select * from {{ ref('int_dq_dfe_rules') }}),
warehouse_rule_failures as (select * from {{ ref('int_dq_warehouse_rules') }}),
record_locations as (select * from {{ ref('int_dq_record_locations') }}),

-- Rules written against staging and facts know the record, not the line: place them.
rule_failures as (
    select la_code, table_name, record_id, column_name, rule_code, severity, message, value_seen, rule_source
    from dfe_rule_failures
    union all
    select la_code, table_name, record_id, column_name, rule_code, severity, message, value_seen, rule_source
    from warehouse_rule_failures
),

located_rule_failures as (
    select
        rule_failures.la_code,
        rule_failures.table_name,
        record_locations.source_file,
        record_locations.line_number,
        -- a failure on a person (DfE 8500, 8510, 8590) is placed by child_key: never shown as the record
        case when rule_failures.table_name <> 'ssd_person' then rule_failures.record_id end as record_id,
        record_locations.child_key,
        rule_failures.column_name,
        rule_failures.rule_code,
        rule_failures.severity,
        rule_failures.message,
        rule_failures.value_seen,
        rule_failures.rule_source
    from rule_failures
    left join record_locations
        on record_locations.la_code = rule_failures.la_code
        and record_locations.table_name = rule_failures.table_name
        and record_locations.record_id = rule_failures.record_id
),

all_issues as (
    select la_code, table_name, source_file, line_number, record_id, child_key, column_name,
        rule_code, severity, message, value_seen, rule_source
    from contract_issues
    union all
    select la_code, table_name, source_file, line_number, record_id, child_key, column_name,
        rule_code, severity, message, value_seen, rule_source
    from code_issues
    union all
    select la_code, table_name, source_file, line_number, record_id, child_key, column_name,
        rule_code, severity, message, value_seen, rule_source
    from future_date_issues
    union all
    select la_code, table_name, source_file, line_number, record_id, child_key, column_name,
        rule_code, severity, message, value_seen, rule_source
    from located_rule_failures
),

final as (
    select
        cast(la_code as {{ dbt.type_string() }}) as la_code,
        cast(table_name as {{ dbt.type_string() }}) as table_name,
        cast(source_file as {{ dbt.type_string() }}) as source_file,
        cast(line_number as bigint) as line_number,
        cast(record_id as {{ dbt.type_string() }}) as record_id,
        cast(child_key as {{ dbt.type_string() }}) as child_key,
        cast(column_name as {{ dbt.type_string() }}) as column_name,
        cast(rule_code as {{ dbt.type_string() }}) as rule_code,
        cast(severity as {{ dbt.type_string() }}) as severity,
        cast(message as {{ dbt.type_string() }}) as message,
        cast(value_seen as {{ dbt.type_string() }}) as value_seen,
        cast(rule_source as {{ dbt.type_string() }}) as rule_source
    from all_issues
)

select * from final
