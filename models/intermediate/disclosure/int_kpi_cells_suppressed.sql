{#
  Which counts of kpi_values an external publication must show as 'c', and why: step 3 of
  small-number suppression, reading the counts of each cell (int_kpi_counts_unpivoted) and
  the boundaries the complementary walk kept (int_kpi_boundaries_kept).

  Primary: a count from 1 to var('disclosure_max_small_count') (5). Complementary: a flow
  count is published only when both its boundaries (the day before its first month, its
  last day) are kept, so no published count, and no sum or difference of published counts,
  is 1 to 5, and a suppressed count always touches a hidden boundary, which no published
  count determines. Stocks (month-end positions) are not added up: primary only. Parts of
  another KPI (seed disclosure_kpi_parts) are suppressed together.
#}
with

counts as (select * from {{ ref('int_kpi_counts_unpivoted') }}),
kept as (select * from {{ ref('int_kpi_boundaries_kept') }}),
kpi_parts as (select total_kpi_code, part_kpi_code from {{ ref('disclosure_kpi_parts') }}),

judged as (
    select
        counts.la_code, counts.kpi_code, counts.period_type, counts.period_start, counts.period_end,
        counts.part,
        {{ is_small_count('counts.n') }} as is_primary,
        case
            when counts.measure_type <> 'flow' then {{ is_small_count('counts.n') }}
            else kept_start.boundary_date is null or kept_end.boundary_date is null
        end as is_suppressed
    from counts
    left join kept as kept_start
        on kept_start.la_code = counts.la_code and kept_start.kpi_code = counts.kpi_code
        and kept_start.part = counts.part and kept_start.financial_year_start = counts.financial_year_start
        and kept_start.boundary_date = cast({{ dbt.dateadd('day', -1, 'counts.period_start') }} as date)
    left join kept as kept_end
        on kept_end.la_code = counts.la_code and kept_end.kpi_code = counts.kpi_code
        and kept_end.part = counts.part and kept_end.financial_year_start = counts.financial_year_start
        and kept_end.boundary_date = counts.period_end
),

-- A part of another KPI is suppressed whenever any of its sibling parts is.
parts_suppressed as (
    select kpi_parts.total_kpi_code, judged.la_code, judged.period_type, judged.period_end,
        max(case when judged.is_suppressed then 1 else 0 end) as any_suppressed
    from judged
    inner join kpi_parts on kpi_parts.part_kpi_code = judged.kpi_code
    where judged.part = 'numerator'
    group by kpi_parts.total_kpi_code, judged.la_code, judged.period_type, judged.period_end
),

with_parts as (
    select
        judged.la_code, judged.kpi_code, judged.period_type, judged.period_start, judged.period_end,
        judged.part, judged.is_primary,
        judged.is_suppressed or coalesce(parts_suppressed.any_suppressed = 1 and judged.part = 'numerator', false)
            as is_suppressed
    from judged
    left join kpi_parts on kpi_parts.part_kpi_code = judged.kpi_code
    left join parts_suppressed
        on parts_suppressed.total_kpi_code = kpi_parts.total_kpi_code
        and parts_suppressed.la_code = judged.la_code
        and parts_suppressed.period_type = judged.period_type
        and parts_suppressed.period_end = judged.period_end
),

final as (
    select
        la_code, kpi_code, period_type, period_start, period_end,
        max(case when part = 'numerator' and is_suppressed then 1 else 0 end) = 1 as numerator_suppressed,
        max(case when part = 'denominator' and is_suppressed then 1 else 0 end) = 1 as denominator_suppressed,
        max(case when is_suppressed and is_primary then 1 else 0 end) = 1 as has_primary
    from with_parts
    group by la_code, kpi_code, period_type, period_start, period_end
)

select
    cast(la_code as {{ dbt.type_string() }}) as la_code,
    cast(kpi_code as {{ dbt.type_string() }}) as kpi_code,
    cast(period_type as {{ dbt.type_string() }}) as period_type,
    cast(period_start as date) as period_start,
    cast(period_end as date) as period_end,
    numerator_suppressed,
    denominator_suppressed,
    numerator_suppressed or denominator_suppressed as value_suppressed,
    cast(case
        when not (numerator_suppressed or denominator_suppressed) then null
        when has_primary then 'primary'
        else 'complementary'
    end as {{ dbt.type_string() }}) as suppression_reason
from final
