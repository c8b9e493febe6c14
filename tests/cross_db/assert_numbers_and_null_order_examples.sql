-- Pins arithmetic and NULL handling the figures rely on to the same answers on DuckDB and
-- Spark: division of whole numbers is not integer division, a zero denominator (through
-- nullif) gives null, rounding is half away from zero, % keeps the dividend's sign, greatest
-- skips nulls, an explicit `nulls last` orders alike (the engines' defaults differ: DuckDB
-- puts nulls last, Spark first) and the project's listagg puts null keys last on both.
-- Returns each example that differs.
with

numbers as (

    select cast(numerator as {{ dbt.type_int() }}) as numerator, cast(denominator as {{ dbt.type_int() }}) as denominator
    from (
        values (7, 2), (-7, 2), (1, 3), (5, 0)
    ) as cases (numerator, denominator)  -- noqa: AL05

),

ordered as (

    select sort_key, label
    from (
        values (2, 'b'), (null, 'n'), (1, 'a'), (3, null)
    ) as cases (sort_key, label)  -- noqa: AL05

),

divided as (

    select
        concat('divide ', cast(numerator as {{ dbt.type_string() }}), ' by ', cast(denominator as {{ dbt.type_string() }})) as case_name,
        case
            when denominator = 0 then 'null'
            when numerator = 1 then '0.333333333333'
            else cast(cast(numerator as {{ csc.type_double() }}) / 2 as {{ dbt.type_string() }})
        end as expected,
        coalesce(cast(round(numerator / nullif(denominator, 0), 12) as {{ dbt.type_string() }}), 'null') as actual
    from numbers

),

scalars as (

    select 'round 2.5 to a whole number' as case_name, '3' as expected,
        cast(cast(round(2.5, 0) as {{ dbt.type_int() }}) as {{ dbt.type_string() }}) as actual
    union all
    select 'round -2.5 to a whole number', '-3', cast(cast(round(-2.5, 0) as {{ dbt.type_int() }}) as {{ dbt.type_string() }})
    union all
    select 'round 0.25 to one place', '0.3', cast(cast(round(0.25, 1) as decimal(38, 1)) as {{ dbt.type_string() }})
    union all
    select '-7 % 3 keeps the sign of -7', '-1', cast(-7 % 3 as {{ dbt.type_string() }})
    union all
    select '7 % -3 keeps the sign of 7', '1', cast(7 % -3 as {{ dbt.type_string() }})
    union all
    select 'greatest skips a null', '2', cast(greatest(1, cast(null as {{ dbt.type_int() }}), 2) as {{ dbt.type_string() }})

),

row_numbers as (

    select
        'row_number with nulls last' as case_name,
        'a1,b2,n3' as expected,
        {{ dbt.listagg("concat(label_or_n, cast(position as " ~ dbt.type_string() ~ "))", "','", "order by position") }} as actual
    from (
        select
            coalesce(label, 'x') as label_or_n,
            row_number() over (order by sort_key nulls last) as position
        from ordered
        where label is not null
    ) as numbered  -- noqa: AL05

    union all

    select
        'listagg: null keys last, null values skipped' as case_name,
        'a,b,n' as expected,
        {{ dbt.listagg('label', "','", 'order by sort_key') }} as actual
    from ordered

),

calculated as (

    select * from divided
    union all
    select * from scalars
    union all
    select * from row_numbers

),

failures as (

    select *
    from calculated
    where actual is null or actual <> expected

)

select * from failures
