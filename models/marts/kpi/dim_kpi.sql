{# The KPI catalogue as a mart, so the published file explains its own measures. #}
with

definitions as (
    select * from {{ ref('kpi_definitions') }}
),

final as (
    select
        cast(kpi_code as {{ dbt.type_string() }}) as kpi_code,
        cast(kpi_name as {{ dbt.type_string() }}) as kpi_name,
        cast(report_section as {{ dbt.type_string() }}) as report_section,
        cast(display_order as integer) as display_order,
        cast(unit as {{ dbt.type_string() }}) as unit,
        cast(measure_type as {{ dbt.type_string() }}) as measure_type,
        cast(polarity as {{ dbt.type_string() }}) as polarity,
        cast(definition as {{ dbt.type_string() }}) as definition,
        cast(numerator_description as {{ dbt.type_string() }}) as numerator_description,
        cast(denominator_description as {{ dbt.type_string() }}) as denominator_description,
        cast(dfe_published_measure as {{ dbt.type_string() }}) as dfe_published_measure,
        cast(benchmark_measure_code as {{ dbt.type_string() }}) as benchmark_measure_code,
        cast(local_target as {{ type_double() }}) as local_target,
        cast(target_note as {{ dbt.type_string() }}) as target_note,
        cast(comparison_basis as {{ dbt.type_string() }}) as comparison_basis,
        cast(dfe_basis_kpi_code as {{ dbt.type_string() }}) as dfe_basis_kpi_code,
        cast(two_figures_note as {{ dbt.type_string() }}) as two_figures_note,
        cast(definition_plain as {{ dbt.type_string() }}) as definition_plain,
        cast(why_it_matters as {{ dbt.type_string() }}) as why_it_matters,
        cast(provisional_window_days as integer) as provisional_window_days,
        cast(provisional_waits_for as {{ dbt.type_string() }}) as provisional_waits_for
    from definitions
)

select * from final
