{#
  Per council and KPI: rows quarantined, and DfE rule failures (not queries), in the contract
  tables the KPI reads (seed kpi_inputs), with the sentence kpi_values appends to its caveat. Counts are
  over the whole extract, not per period: a quarantined row has no trustworthy date to place
  it in a period. Every (council, KPI) pair is listed, with zeros and no sentence when clean.
#}
with

table_counts as (
    select la_code, table_name, quarantined_rows from {{ ref('int_dq_table_counts') }}
),

dfe_rule_failures as (
    select la_code, table_name, rule_code from {{ ref('int_dq_dfe_rules') }}
),

rule_types as (
    select rule_code, rule_type from {{ ref('int_dq_rule_types') }}
),

-- DfE's queries (8670Q, 8675Q: the seed's rule_type) ask about practice (work taking longer
-- than the timescale), which the timeliness KPIs measure themselves: they are not failures
-- of the data, so they do not caveat a KPI. Only the errors do.
dfe_failures as (
    select dfe_rule_failures.la_code, dfe_rule_failures.table_name
    from dfe_rule_failures
    inner join rule_types
        on rule_types.rule_code = dfe_rule_failures.rule_code
    where rule_types.rule_type = 'error'
),

kpi_inputs as (
    select kpi_code, table_name from {{ ref('kpi_inputs') }}
),

-- kpi_inputs lists a table once per column read; a table counts once per KPI.
kpi_tables as (
    select distinct kpi_code, table_name from kpi_inputs
),

dfe_failures_per_table as (
    select la_code, table_name, count(*) as dfe_rule_failures
    from dfe_failures
    group by la_code, table_name
),

councils as (
    select distinct la_code from table_counts
),

kpi_codes as (
    select distinct kpi_code from kpi_tables
),

counted as (
    select
        councils.la_code,
        kpi_codes.kpi_code,
        coalesce(sum(table_counts.quarantined_rows), 0) as quarantined_rows,
        coalesce(sum(dfe_failures_per_table.dfe_rule_failures), 0) as dfe_rule_failures
    from councils
    cross join kpi_codes
    left join kpi_tables
        on kpi_tables.kpi_code = kpi_codes.kpi_code
    left join table_counts
        on table_counts.la_code = councils.la_code
        and table_counts.table_name = kpi_tables.table_name
    left join dfe_failures_per_table
        on dfe_failures_per_table.la_code = councils.la_code
        and dfe_failures_per_table.table_name = kpi_tables.table_name
    group by councils.la_code, kpi_codes.kpi_code
),

final as (
    select
        la_code,
        kpi_code,
        cast(quarantined_rows as bigint) as quarantined_rows,
        cast(dfe_rule_failures as bigint) as dfe_rule_failures,
        case
            when quarantined_rows > 0 or dfe_rule_failures > 0
                then cast(quarantined_rows as {{ dbt.type_string() }})
                    || case when quarantined_rows = 1 then ' row' else ' rows' end || ' quarantined, '
                    || cast(dfe_rule_failures as {{ dbt.type_string() }})
                    || case when dfe_rule_failures = 1 then ' DfE rule failure' else ' DfE rule failures' end
                    || ' in the inputs'
        end as caveat_text
    from counted
)

select
    la_code,
    kpi_code,
    quarantined_rows,
    dfe_rule_failures,
    caveat_text
from final
