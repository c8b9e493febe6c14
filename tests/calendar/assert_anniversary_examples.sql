-- Pins the anniversary macro (macros/calendar): the same day number n months on; a day the
-- target month lacks (29 February, the 31st, 30 February) moves to the 1st of the next month.
-- Returns each example that differs.
with

examples as (

    select case_name, cast(start_date as date) as start_date, months, cast(expected as date) as expected
    from (
        values
            ('29 Feb + 12 months (non-leap)', '2016-02-29', 12, '2017-03-01'),
            ('29 Feb + 48 months (leap)', '2016-02-29', 48, '2020-02-29'),
            ('29 Feb + 24 months', '2016-02-29', 24, '2018-03-01'),
            ('29 Feb + 3 months', '2016-02-29', 3, '2016-05-29'),
            ('30 Nov + 3 months into a leap February', '2015-11-30', 3, '2016-03-01'),
            ('30 Nov + 3 months into a short February', '2014-11-30', 3, '2015-03-01'),
            ('29 Nov + 3 months into a leap February', '2015-11-29', 3, '2016-02-29'),
            ('30 Nov + 24 months', '2014-11-30', 24, '2016-11-30'),
            ('31 Aug + 3 months', '2016-08-31', 3, '2016-12-01'),
            ('31 Jan + 1 month', '2016-01-31', 1, '2016-03-01'),
            ('ordinary day + 12 months', '2016-01-15', 12, '2017-01-15'),
            ('month end + 12 months', '2016-09-30', 12, '2017-09-30'),
            ('back 12 months from 29 Feb', '2016-02-29', -12, '2015-03-01'),
            ('back 12 months from 1 Mar', '2017-03-01', -12, '2016-03-01')
    ) as cases (case_name, start_date, months, expected)  -- noqa: AL05

),

calculated as (

    select
        *,
        {{ anniversary('start_date', 'months') }} as actual
    from examples

),

failures as (

    select *
    from calculated
    where actual is null or actual <> expected

)

select * from failures
