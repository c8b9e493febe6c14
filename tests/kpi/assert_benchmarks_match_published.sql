-- For every benchmarked measure and a spread of years and areas (seed benchmark_expected_values,
-- worked out from DfE's raw files by scripts/dev/benchmark_expected.py with its own code),
-- the value the scorecard picks (int_kpi_benchmark_values) equals DfE's published value for
-- that year and basis. Returns each row that is missing or differs.
with

expected as (select * from {{ ref('benchmark_expected_values') }}),
picked as (select * from {{ ref('int_kpi_benchmark_values') }}),

compared as (
    select
        expected.*,
        picked.value as picked_value,
        picked.source_vintage
    from expected
    left join picked
        on picked.measure_code = expected.measure_code
        and picked.reporting_year = expected.reporting_year
        and picked.geographic_level = expected.geographic_level
        and picked.area_code = expected.area_code
        and coalesce(picked.population_vintage, '') = coalesce(expected.population_vintage, '')
)

select *
from compared
where picked_value is null or abs(picked_value - expected_value) > 1e-9
