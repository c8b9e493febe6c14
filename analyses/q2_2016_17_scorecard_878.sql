-- The quarterly report's scorecard: Devon (878), Q2 2016-17 (July to September 2016).
-- Run against the published file, read-only:
--   duckdb -readonly warehouse/published/csc_marts.duckdb < analyses/q2_2016_17_scorecard_878.sql
-- Change la_code / period_end for another council or quarter; period_type 'fytd' gives the
-- year to date, 'fy' complete financial years. With `csc publish --suppress`, use the
-- *_display columns ('c' = suppressed small number).
select
    kpi.report_section,
    kpi.kpi_name,
    sc.unit,
    round(sc.value, 1) as value,
    sc.numerator,
    sc.denominator,
    round(sc.previous_year_value, 1) as same_quarter_last_year,
    sc.direction_of_travel,
    sc.target,
    sc.rag_status,
    round(sc.england_value, 1) as england,
    round(sc.region_value, 1) as region,
    round(sc.statistical_neighbour_value, 1) as statistical_neighbours,
    sc.benchmark_year_label,
    sc.caveat
from marts.kpi_scorecard as sc
inner join marts.dim_kpi as kpi on kpi.kpi_code = sc.kpi_code
where sc.la_code = '878'
  and sc.period_type = 'quarter'
  and sc.period_end = date '2016-09-30'
order by kpi.display_order;
