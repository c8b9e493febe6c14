{#
  Step 2 of small-number suppression (int_kpi_cells_suppressed): the complementary walk.
  The flow periods of one financial year are all sums of consecutive months (month,
  quarter, year to date, year), so each is the difference of two "boundary" totals (the
  count from the year's first month to a month end). A boundary is hidden when its total
  differs from the last kept boundary by 1 to var('disclosure_max_small_count') (5); kept
  boundaries then differ by 0 or by 6 or more. One row per kept boundary of a series
  (council, KPI, numerator or denominator, financial year).

  The walk is unrolled over the 12 month ends of a financial year, one series per row,
  rather than a chain of joins: Spark's analyser takes minutes over the join chain, and
  this plan stays small on both engines.
#}
{%- set small = var('disclosure_max_small_count') -%}
{%- set series = 'la_code, kpi_code, part, financial_year_start' -%}
with

counts as (select * from {{ ref('int_kpi_counts_unpivoted') }}),

months as (
    select {{ series }}, period_start, period_end, n
    from counts
    where measure_type = 'flow' and period_type = 'month'
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
)

select
    cast(la_code as {{ dbt.type_string() }}) as la_code,
    cast(kpi_code as {{ dbt.type_string() }}) as kpi_code,
    cast(part as {{ dbt.type_string() }}) as part,
    cast(financial_year_start as date) as financial_year_start,
    cast(boundary_date as date) as boundary_date
from kept
