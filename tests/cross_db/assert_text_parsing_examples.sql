-- Pins the text-typing macros (csc_try_parse_date with var date_formats, csc_regexp_full_match)
-- to the same answers on DuckDB (RE2) and Spark (Java regular expressions): leap days,
-- impossible and month-first dates, two-digit years, and a trailing line break, which Java's $
-- would accept. Returns each example that differs.
with

dates as (

    select case_name, raw_text, cast(expected as date) as expected
    from (
        values
            ('ISO leap day', '2016-02-29', '2016-02-29'),
            ('ISO 29 Feb in a non-leap year', '2015-02-29', null),
            ('ISO with a time', '2016-09-30 14:05', '2016-09-30'),
            ('ISO with T, seconds and fractions', '2016-09-30T14:05:06.123456', '2016-09-30'),
            ('ISO month 13', '2016-13-01', null),
            ('ISO without padding', '2016-9-30', null),
            ('UK day-first leap day', '29/02/2016', '2016-02-29'),
            ('UK single digits', '1/3/2016', '2016-03-01'),
            ('UK with a time', '31/12/2016 23:59', '2016-12-31'),
            ('month-first is refused', '12/31/2016', null),
            ('31 February is refused', '31/02/2016', null),
            ('two-digit year is refused', '30/09/16', null),
            ('leading blank is not trimmed here', ' 2016-09-30', null),
            ('empty text', '', null),
            ('not a date', 'yesterday', null)
    ) as cases (case_name, raw_text, expected)  -- noqa: AL05

    union all

    select 'trailing line break', concat('2016-09-30', chr(10)), cast(null as date)

),

whole_numbers as (

    select case_name, raw_text, expected
    from (
        values
            ('digits', '42', true),
            ('signed', '-7', true),
            ('decimal', '3.5', false),
            ('exponent', '1e3', false),
            ('hex', '0x10', false),
            ('empty', '', false)
    ) as cases (case_name, raw_text, expected)  -- noqa: AL05

    union all

    select 'trailing line break', concat('12', chr(10)), false

),

calculated as (

    select
        case_name,
        cast(cast(expected as date) as {{ dbt.type_string() }}) as expected,
        cast({{ csc_try_parse_date('raw_text') }} as {{ dbt.type_string() }}) as actual
    from dates

    union all

    select
        case_name,
        cast(expected as {{ dbt.type_string() }}) as expected,
        cast(coalesce({{ csc_regexp_full_match('raw_text', '[+-]?[0-9]+') }}, false) as {{ dbt.type_string() }}) as actual
    from whole_numbers

),

failures as (

    select *
    from calculated
    where coalesce(actual, 'null') <> coalesce(expected, 'null')

)

select * from failures
