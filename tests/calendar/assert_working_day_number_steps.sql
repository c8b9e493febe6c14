-- working_day_number never decreases: it starts at 0 or 1 and each day adds exactly one
-- when the day is a working day, nothing otherwise. Returns the days that break that.
with

calendar as (

    select
        date_day,
        is_working_day,
        working_day_number,
        lag(working_day_number) over (order by date_day) as previous_number
    from {{ ref('dim_date') }}

),

failures as (

    select *
    from calendar
    where working_day_number
        <> coalesce(previous_number, 0) + case when is_working_day then 1 else 0 end

)

select * from failures
