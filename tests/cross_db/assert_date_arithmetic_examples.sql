-- Pins dbt's date arithmetic (dateadd, datediff, last_day, date_trunc) to the same answers on
-- DuckDB and Spark at month ends, leap days and year ends, where the engines' own functions
-- differ (Spark's add_months, months_between). Returns each example that differs.
with

date_adds as (

    select case_name, cast(start_date as date) as start_date, date_part, n, cast(expected as date) as expected
    from (
        values
            ('31 Jan + 1 month in a leap year clips to 29 Feb', '2016-01-31', 'month', 1, '2016-02-29'),
            ('31 Jan + 1 month clips to 28 Feb', '2015-01-31', 'month', 1, '2015-02-28'),
            ('28 Feb + 1 month is 28 Mar, not the month end', '2015-02-28', 'month', 1, '2015-03-28'),
            ('29 Feb + 12 months clips to 28 Feb', '2016-02-29', 'month', 12, '2017-02-28'),
            ('31 Mar - 1 month clips to 29 Feb', '2016-03-31', 'month', -1, '2016-02-29'),
            ('31 Aug + 3 months clips to 30 Nov', '2016-08-31', 'month', 3, '2016-11-30'),
            ('28 Feb + 1 day in a leap year', '2016-02-28', 'day', 1, '2016-02-29'),
            ('1 Mar - 1 day in a leap year', '2016-03-01', 'day', -1, '2016-02-29'),
            ('31 Dec + 1 day', '2016-12-31', 'day', 1, '2017-01-01')
    ) as cases (case_name, start_date, date_part, n, expected)  -- noqa: AL05

),

date_diffs as (

    select case_name, cast(first_date as date) as first_date, cast(second_date as date) as second_date, date_part, expected
    from (
        values
            ('days over a leap day', '2016-02-28', '2016-03-01', 'day', 2),
            ('days over a non-leap February end', '2015-02-28', '2015-03-01', 'day', 1),
            ('days backwards are negative', '2016-03-01', '2016-02-28', 'day', -2),
            ('month end to month end is one month', '2016-01-31', '2016-02-29', 'month', 1),
            ('31 Jan to 1 Feb crosses one month', '2016-01-31', '2016-02-01', 'month', 1),
            ('a quarter from its first to its last day', '2016-04-01', '2016-06-30', 'month', 2),
            ('month end back to month end', '2016-02-29', '2016-01-31', 'month', -1),
            ('within a month', '2016-01-01', '2016-01-31', 'month', 0),
            ('31 Dec to 1 Jan crosses a month', '2015-12-31', '2016-01-01', 'month', 1),
            ('31 Dec to 1 Jan crosses a year', '2015-12-31', '2016-01-01', 'year', 1),
            ('31 Mar to 1 Apr crosses a quarter', '2016-03-31', '2016-04-01', 'quarter', 1),
            ('a financial year in quarters', '2016-04-01', '2017-03-31', 'quarter', 3)
    ) as cases (case_name, first_date, second_date, date_part, expected)  -- noqa: AL05

),

calendar_bounds as (

    select case_name, cast(day_in as date) as day_in, bound, cast(expected as date) as expected
    from (
        values
            ('last day of a leap February', '2016-02-10', 'month_end', '2016-02-29'),
            ('last day of a February', '2015-02-10', 'month_end', '2015-02-28'),
            ('last day of the quarter from February', '2016-02-10', 'quarter_end', '2016-03-31'),
            ('last day of the quarter from its last day', '2016-12-31', 'quarter_end', '2016-12-31'),
            ('first day of the month of a leap day', '2016-02-29', 'month_start', '2016-02-01'),
            ('first day of the quarter from its last day', '2016-06-30', 'quarter_start', '2016-04-01'),
            ('first day of the year from its last day', '2016-12-31', 'year_start', '2016-01-01')
    ) as cases (case_name, day_in, bound, expected)  -- noqa: AL05

),

calculated_adds as (

    select
        case_name,
        cast(expected as {{ dbt.type_string() }}) as expected,
        cast(cast(case date_part
            when 'day' then {{ dbt.dateadd('day', 'n', 'start_date') }}
            else {{ dbt.dateadd('month', 'n', 'start_date') }}
        end as date) as {{ dbt.type_string() }}) as actual
    from date_adds

),

calculated_diffs as (

    select
        case_name,
        cast(expected as {{ dbt.type_string() }}) as expected,
        cast(cast(case date_part
            when 'day' then {{ dbt.datediff('first_date', 'second_date', 'day') }}
            when 'month' then {{ dbt.datediff('first_date', 'second_date', 'month') }}
            when 'quarter' then {{ dbt.datediff('first_date', 'second_date', 'quarter') }}
            else {{ dbt.datediff('first_date', 'second_date', 'year') }}
        end as {{ dbt.type_int() }}) as {{ dbt.type_string() }}) as actual
    from date_diffs

),

calculated_bounds as (

    select
        case_name,
        cast(expected as {{ dbt.type_string() }}) as expected,
        cast(cast(case bound
            when 'month_end' then {{ dbt.last_day('day_in', 'month') }}
            when 'quarter_end' then {{ dbt.last_day('day_in', 'quarter') }}
            when 'month_start' then {{ dbt.date_trunc('month', 'day_in') }}
            when 'quarter_start' then {{ dbt.date_trunc('quarter', 'day_in') }}
            else {{ dbt.date_trunc('year', 'day_in') }}
        end as date) as {{ dbt.type_string() }}) as actual
    from calendar_bounds

),

calculated as (

    select * from calculated_adds
    union all
    select * from calculated_diffs
    union all
    select * from calculated_bounds

),

failures as (

    select *
    from calculated
    where actual is null or actual <> expected

)

select * from failures
