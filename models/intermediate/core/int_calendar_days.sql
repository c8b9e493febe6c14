{#
  Calendar arithmetic for every day from var('calendar_start') to var('calendar_end')
  (2010-01-01 to 2035-12-31): month and quarter bounds, ISO day of week and the UK financial
  year (= DfE reporting year) with its quarter. Bank holidays and working days are added in
  marts.dim_date. The range is a var so a unit test can build a week instead of 26 years.
#}
{%- set calendar_start = "cast('" ~ var('calendar_start', '2010-01-01') ~ "' as date)" -%}
{%- set calendar_end = "cast('" ~ var('calendar_end', '2035-12-31') ~ "' as date)" -%}

with

-- dbt's cross-database spine stops the day before its end date, so end + 1 day.
date_spine as (
    {{ dbt.date_spine('day', calendar_start, dbt.dateadd('day', 1, calendar_end)) }}
),

-- dateadd yields a timestamp on some engines (DuckDB): back to a date.
days as (select cast(date_day as date) as date_day from date_spine),

day_parts as (
    select
        date_day,
        cast(extract(year from date_day) as {{ dbt.type_int() }}) as year,
        cast(extract(month from date_day) as {{ dbt.type_int() }}) as month,
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start,
        cast({{ dbt.last_day('date_day', 'month') }} as date) as month_end,
        -- ISO day of week without engine-specific functions: 1900-01-01 was a Monday.
        cast(mod({{ dbt.datediff("cast('1900-01-01' as date)", 'date_day', 'day') }}, 7) + 1
            as {{ dbt.type_int() }}) as day_of_week,
        -- Financial years start on 1 April: shift back three months, take the year, shift forward.
        cast({{ dbt.dateadd('month', 3, dbt.date_trunc('year', dbt.dateadd('month', -3, 'date_day'))) }}
            as date) as financial_year_start,
        -- Calendar quarters are also financial quarters (they start in January, April, July, October).
        cast({{ dbt.date_trunc('quarter', 'date_day') }} as date) as quarter_start,
        cast({{ dbt.last_day('date_day', 'quarter') }} as date) as quarter_end
    from days
),

final as (
    select
        *,
        cast(extract(year from financial_year_start) as {{ dbt.type_int() }}) + 1 as financial_year_end_year,
        case
            when month in (4, 5, 6) then 1
            when month in (7, 8, 9) then 2
            when month in (10, 11, 12) then 3
            else 4
        end as financial_quarter
    from day_parts
)

select * from final
