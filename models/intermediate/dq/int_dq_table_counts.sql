{#
  For every council and contract table: rows in the landing files (every base row), rows
  staged (stg_ssd__<table>) and rows quarantined (a row check with severity error). A
  council that sent no file for a table gets zeros, so every pair is listed.
#}

with

landing_files as (
    select la_code from {{ ref('stg_landing__landing_files') }}
),

contract_tables as (
    {{ dq_contract_tables_relation() }}
),

landing_counts as (
    {{ dq_landing_row_counts() }}
),

staged_counts as (
    {{ dq_staged_row_counts() }}
),

councils as (
    select distinct la_code from landing_files
    union
    select distinct la_code from landing_counts
),

counted as (
    select
        councils.la_code,
        contract_tables.table_name,
        coalesce(landing_counts.raw_rows, 0) as raw_rows,
        coalesce(staged_counts.staged_rows, 0) as staged_rows,
        coalesce(landing_counts.quarantined_rows, 0) as quarantined_rows
    from councils
    cross join contract_tables
    left join landing_counts
        on landing_counts.la_code = councils.la_code
        and landing_counts.table_name = contract_tables.table_name
    left join staged_counts
        on staged_counts.la_code = councils.la_code
        and staged_counts.table_name = contract_tables.table_name
)

select
    la_code,
    table_name,
    cast(raw_rows as bigint) as raw_rows,
    cast(staged_rows as bigint) as staged_rows,
    cast(quarantined_rows as bigint) as quarantined_rows
from counted
