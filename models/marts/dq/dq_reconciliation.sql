{#
  Every landing row is accounted for: per council and contract table, the rows in the landing
  files equal the rows staged plus the rows quarantined. A row lost (or counted twice)
  between landing and staging shows as balances = false, and the test on this model fails.
#}
with

table_counts as (
    select la_code, table_name, raw_rows, staged_rows, quarantined_rows
    from {{ ref('int_dq_table_counts') }}
),

final as (
    select
        cast(la_code as {{ dbt.type_string() }}) as la_code,
        cast(table_name as {{ dbt.type_string() }}) as table_name,
        cast(raw_rows as bigint) as raw_rows,
        cast(staged_rows as bigint) as staged_rows,
        cast(quarantined_rows as bigint) as quarantined_rows,
        raw_rows = staged_rows + quarantined_rows as balances
    from table_counts
)

select
    la_code,
    table_name,
    raw_rows,
    staged_rows,
    quarantined_rows,
    balances
from final
