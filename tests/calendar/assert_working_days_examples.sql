-- Pins working_days_between (macros/calendar) against the real calendar and bank holidays:
-- returns each example whose result differs from the expected count.
with

examples as (

    select case_name, cast(start_date as date) as start_date, cast(end_date as date) as end_date, expected
    from (
        values
            ('same day', '2016-10-03', '2016-10-03', 0),
            ('Saturday to Monday', '2016-10-01', '2016-10-03', 1),
            ('Friday to Monday', '2016-09-30', '2016-10-03', 1),
            ('Friday to Saturday', '2016-09-30', '2016-10-01', 0),
            ('across Christmas 2016 (26 and 27 Dec holidays)', '2016-12-23', '2016-12-28', 1),
            ('across Easter 2016 (Good Friday, Easter Monday)', '2016-03-24', '2016-03-29', 1),
            ('45 working days from 1 Nov 2016', '2016-11-01', '2017-01-06', 45),
            ('one short of 45 working days', '2016-11-01', '2017-01-05', 44),
            ('end before start is negative', '2016-10-03', '2016-09-30', -1),
            ('2022 State Funeral is a holiday', '2022-09-16', '2022-09-20', 1)
    ) as cases (case_name, start_date, end_date, expected)  -- noqa: AL05

),

calculated as (

    select
        examples.case_name,
        examples.start_date,
        examples.end_date,
        examples.expected,
        {{ working_days_between('d_start', 'd_end') }} as actual
    from examples
    left join {{ ref('dim_date') }} as d_start
        on d_start.date_day = examples.start_date
    left join {{ ref('dim_date') }} as d_end
        on d_end.date_day = examples.end_date

),

failures as (

    select *
    from calculated
    where actual is null or actual <> expected

)

select * from failures
