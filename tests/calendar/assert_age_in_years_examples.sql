-- Pins age_in_years (macros/calendar): birthdays count from the day itself and a 29 February
-- birthday falls on 1 March in non-leap years. Returns each example that differs.
with

examples as (

    select case_name, cast(date_of_birth as date) as date_of_birth, cast(at_date as date) as at_date, expected
    from (
        values
            ('leap-day birth, day before leap birthday', '2000-02-29', '2016-02-28', 15),
            ('leap-day birth, on leap birthday', '2000-02-29', '2016-02-29', 16),
            ('leap-day birth, 28 Feb in a non-leap year', '2000-02-29', '2017-02-28', 16),
            ('leap-day birth, 1 Mar in a non-leap year', '2000-02-29', '2017-03-01', 17),
            ('day before birthday', '2010-06-15', '2016-06-14', 5),
            ('on birthday', '2010-06-15', '2016-06-15', 6),
            ('day of birth', '2010-06-15', '2010-06-15', 0),
            ('18th birthday', '1998-09-30', '2016-09-30', 18)
    ) as cases (case_name, date_of_birth, at_date, expected)  -- noqa: AL05

),

calculated as (

    select
        *,
        {{ age_in_years('date_of_birth', 'at_date') }} as actual
    from examples

),

failures as (

    select *
    from calculated
    where actual is null or actual <> expected

)

select * from failures
