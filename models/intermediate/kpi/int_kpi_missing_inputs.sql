{#
  Per council and KPI, the inputs (seed kpi_inputs) the extract lacks. A missing required
  input makes the KPI null; a missing optional one (kpi_inputs gives the caveat to show)
  leaves the KPI calculated without it and says so.
#}
with

kpi_inputs as (select * from {{ ref('kpi_inputs') }}),
availability as (select * from {{ ref('int_source_availability') }}),

missing_inputs as (
    select
        availability.la_code,
        kpi_inputs.kpi_code,
        {{ dbt.listagg(
            "case when kpi_inputs.caveat_if_missing is null then kpi_inputs.table_name || coalesce('.' || kpi_inputs.column_name, '') end",
            "', '",
            "order by kpi_inputs.table_name, kpi_inputs.column_name") }} as missing,
        {{ dbt.listagg("kpi_inputs.caveat_if_missing", "'; '", "order by kpi_inputs.caveat_if_missing") }}
            as optional_missing
    from kpi_inputs
    inner join availability
        on availability.table_name = kpi_inputs.table_name
        and coalesce(availability.column_name, '') = coalesce(kpi_inputs.column_name, '')
    where not availability.is_available
    group by 1, 2
),

final as (
    select
        la_code,
        kpi_code,
        nullif(missing, '') as missing,
        nullif(optional_missing, '') as optional_missing
    from missing_inputs
)

select * from final
