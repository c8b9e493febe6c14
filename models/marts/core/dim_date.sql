{#
  The calendar: one row per day (int_calendar_days: 2010-01-01 to 2035-12-31, month and
  quarter bounds, the UK financial year = DfE reporting year) with England and Wales bank
  holidays and working days, numbered so that timeliness in working days is a subtraction.
#}
with

calendar_days as (select * from {{ ref('int_calendar_days') }}),

bank_holidays as (
    select
        cast(holiday_date as date) as holiday_date,
        holiday_name
    from {{ ref('ref_bank_holidays') }}
),

with_holidays as (
    select
        calendar_days.*,
        bank_holidays.holiday_date is not null as is_bank_holiday,
        bank_holidays.holiday_name as bank_holiday_name
    from calendar_days
    left join bank_holidays
        on bank_holidays.holiday_date = calendar_days.date_day
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
        end as day_name
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
