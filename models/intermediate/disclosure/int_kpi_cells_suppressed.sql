{#
  Which counts of kpi_values an external publication must show as 'c', and why.

  Primary: a count from 1 to var('disclosure_max_small_count') (5). Complementary: the flow
  periods of one financial year are all sums of consecutive months (month, quarter, year to
  date, year), so each is the difference of two "boundary" totals (the count from the year's
  first month to a month end). A boundary is hidden when its total differs from the last kept
  boundary by 1 to 5; kept boundaries then differ by 0 or by 6 or more. A count is published
  only when both its boundaries are kept, so no published count, and no sum or difference of
  published counts, is 1 to 5, and a suppressed count always touches a hidden boundary, which
  no published count determines. Stocks (month-end positions) are not added up: primary only.
  Parts of another KPI (seed disclosure_kpi_parts) are suppressed together.

  The walk along a year's boundaries is unrolled over the 12 month ends of a financial year,
  one series per row, rather than a chain of joins: Spark's analyser takes minutes over the
  join chain, and this plan stays small on both engines.
#}
{%- set small = var('disclosure_max_small_count') -%}
{%- set series = 'la_code, kpi_code, part, financial_year_start' -%}
with

kpi_values as (select * from {{ ref('kpi_values') }}),
definitions as (select kpi_code, measure_type from {{ ref('kpi_definitions') }}),
calendar as (select date_day, financial_year_start from {{ ref('dim_date') }}),
kpi_parts as (select total_kpi_code, part_kpi_code from {{ ref('disclosure_kpi_parts') }}),

cells as (
    select
        kpi_values.la_code, kpi_values.kpi_code, kpi_values.period_type, kpi_values.period_start,
        kpi_values.period_end, kpi_values.numerator, kpi_values.denominator, kpi_values.unit,
        definitions.measure_type, calendar.financial_year_start
    from kpi_values
    inner join definitions on definitions.kpi_code = kpi_values.kpi_code
    inner join calendar on calendar.date_day = kpi_values.period_start
),

-- The counts a cell publishes: its numerator, and a percentage's denominator (events or
-- children). Other denominators are calendar months or ONS populations, published anyway.
counts as (
    select la_code, kpi_code, period_type, period_start, period_end, measure_type,
           financial_year_start, 'numerator' as part, numerator as n
    from cells where numerator is not null
    union all
    select la_code, kpi_code, period_type, period_start, period_end, measure_type,
           financial_year_start, 'denominator' as part, denominator as n
    from cells where unit = 'percent' and denominator is not null
),

months as (
    select * from counts where measure_type = 'flow' and period_type = 'month'
),

-- Boundary 0 of a series' financial year: before its first month in the extract (total 0, always kept).
year_starts as (
    select {{ series }}, cast({{ dbt.dateadd('day', -1, 'min(period_start)') }} as date) as boundary_date
    from months
    group by {{ series }}
),

-- Boundary b (1 to 12): after the b-th month in the extract, with the count from boundary 0.
month_ends as (
    select {{ series }}, period_end as boundary_date,
        row_number() over (partition by {{ series }} order by period_end) as boundary_no,
        cast(sum(n) over (partition by {{ series }} order by period_end
                          rows between unbounded preceding and current row) as bigint) as running_total
    from months
),

-- A series' boundary totals side by side; last_kept_b is the total of the last kept boundary
-- up to b: boundary b is kept when its total is the same as, or more than `small` above, last_kept_(b-1).
walk_0 as (
    select {{ series }},
        {%- for b in range(1, 13) %}
        max(case when boundary_no = {{ b }} then running_total end) as total_{{ b }},
        {%- endfor %}
        cast(0 as bigint) as last_kept_0
    from month_ends
    group by {{ series }}
),
{%- for b in range(1, 13) %}

walk_{{ b }} as (
    select walk_{{ b - 1 }}.*,
        case
            when total_{{ b }} = last_kept_{{ b - 1 }} or total_{{ b }} > last_kept_{{ b - 1 }} + {{ small }} then total_{{ b }}
            else last_kept_{{ b - 1 }}
        end as last_kept_{{ b }}
    from walk_{{ b - 1 }}
),
{%- endfor %}

kept as (
    select {{ series }}, boundary_date from year_starts
    union all
    select month_ends.la_code, month_ends.kpi_code, month_ends.part, month_ends.financial_year_start,
        month_ends.boundary_date
    from month_ends
    inner join walk_12
        on walk_12.la_code = month_ends.la_code and walk_12.kpi_code = month_ends.kpi_code
        and walk_12.part = month_ends.part and walk_12.financial_year_start = month_ends.financial_year_start
    where
        {%- for b in range(1, 13) %}
        {% if not loop.first %}or {% endif %}(month_ends.boundary_no = {{ b }} and (month_ends.running_total = walk_12.last_kept_{{ b - 1 }}
            or month_ends.running_total > walk_12.last_kept_{{ b - 1 }} + {{ small }}))
        {%- endfor %}
),

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
