{#
  What each council's extract recorded: one row per council, contract table and column
  (column_name null = the table as a whole). A measure whose inputs are not available comes
  out null with the reason, never as a silent zero.
#}
with

files as (
    select * from {{ ref('stg_landing__landing_files') }}
),

contract_columns as (
    {{ ssd_contract_columns_relation() }}
),

contract_tables as (
    select distinct table_name from contract_columns
),

councils as (
    select distinct la_code from files
),

supplied_files as (
    select
        la_code,
        table_name,
        ',' || coalesce(missing_columns, '') || ',' as missing_list
    from files
    where file_format <> 'missing' and problem is null
),

table_availability as (
    select
        councils.la_code,
        contract_tables.table_name,
        cast(null as {{ dbt.type_string() }}) as column_name,
        count(supplied_files.table_name) > 0 as is_available
    from councils
    cross join contract_tables
    left join supplied_files
        on supplied_files.la_code = councils.la_code
        and supplied_files.table_name = contract_tables.table_name
    group by councils.la_code, contract_tables.table_name
),

column_availability as (
    select
        councils.la_code,
        contract_columns.table_name,
        contract_columns.column_name,
        {{ dbt.bool_or(dbt.position("',' || contract_columns.column_name || ','", 'supplied_files.missing_list') ~ ' = 0') }}
            as is_available
    from councils
    cross join contract_columns
    left join supplied_files
        on supplied_files.la_code = councils.la_code
        and supplied_files.table_name = contract_columns.table_name
    group by councils.la_code, contract_columns.table_name, contract_columns.column_name
),

final as (
    select la_code, table_name, column_name, is_available from table_availability
    union all
    select la_code, table_name, column_name, coalesce(is_available, false) from column_availability
)

select * from final
