{#
  The calendar: one row per day from var('calendar_start') to var('calendar_end')
  (2010-01-01 to 2035-12-31), with England and Wales bank holidays, working days and
  the UK financial year (= DfE reporting year). The range is a var so a unit test can
  build a week instead of 26 years.
#}
{%- set calendar_start = "cast('" ~ var('calendar_start', '2010-01-01') ~ "' as date)" -%}
{%- set calendar_end = "cast('" ~ var('calendar_end', '2035-12-31') ~ "' as date)" -%}

with

bank_holidays as (

    select
        cast(holiday_date as date) as holiday_date,
        holiday_name
    from {{ ref('ref_bank_holidays') }}

),

-- dbt's cross-database spine stops the day before its end date, so end + 1 day.
date_spine as (

    {{ dbt.date_spine('day', calendar_start, dbt.dateadd('day', 1, calendar_end)) }}

),

days as (

    -- dateadd yields a timestamp on some engines (DuckDB): back to a date.
    select cast(date_day as date) as date_day
    from date_spine

),

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

with_holidays as (

    select
        day_parts.*,
        bank_holidays.holiday_date is not null as is_bank_holiday,
        bank_holidays.holiday_name as bank_holiday_name
    from day_parts
    left join bank_holidays
        on bank_holidays.holiday_date = day_parts.date_day

),

classified as (

    select
        *,
        day_of_week in (6, 7) as is_weekend,
        day_of_week not in (6, 7) and not is_bank_holiday as is_working_day,
        case day_of_week
            when 1 then 'Monday'
            when 2 then 'Tuesday'
            when 3 then 'Wednesday'
            when 4 then 'Thursday'
            when 5 then 'Friday'
            when 6 then 'Saturday'
            when 7 then 'Sunday'
        end as day_name,
        cast(extract(year from financial_year_start) as {{ dbt.type_int() }}) + 1 as financial_year_end_year,
        case
            when month in (4, 5, 6) then 1
            when month in (7, 8, 9) then 2
            when month in (10, 11, 12) then 3
            else 4
        end as financial_quarter
    from with_holidays

),

numbered as (

    select
        *,
        -- Working days from the calendar start up to and including this day, so that
        -- working days in (a, b] = working_day_number(b) - working_day_number(a).
        sum(case when is_working_day then 1 else 0 end) over (
            order by date_day
            rows between unbounded preceding and current row
        ) as working_day_number,
        {{ dbt.concat([
            dbt.cast('financial_year_end_year - 1', dbt.type_string()),
            "'-'",
            dbt.right(dbt.cast('financial_year_end_year', dbt.type_string()), 2)
        ]) }} as financial_year
    from classified

),

final as (

    select
        date_day,
        year,
        month,
        month_start,
        month_end,
        day_of_week,
        cast(day_name as {{ dbt.type_string() }}) as day_name,
        is_weekend,
        is_bank_holiday,
        cast(bank_holiday_name as {{ dbt.type_string() }}) as bank_holiday_name,
        is_working_day,
        cast(working_day_number as {{ dbt.type_int() }}) as working_day_number,
        financial_year_start,
        cast(financial_year as {{ dbt.type_string() }}) as financial_year,
        financial_year_end_year,
        cast(financial_quarter as {{ dbt.type_int() }}) as financial_quarter,
        cast({{ dbt.concat(['financial_year', "'-Q'", dbt.cast('financial_quarter', dbt.type_string())]) }}
            as {{ dbt.type_string() }}) as financial_quarter_label,
        quarter_start,
        quarter_end
    from numbered

)

select * from final
