{#
  The population a rate per 10,000 divides by, per council and period end: the mid-year
  estimate for (calendar year of period_end - 1), or the latest earlier one.
#}
with

periods as (select * from {{ ref('int_reporting_periods') }}),
population as (select * from {{ ref('int_population_for_rates') }}),

period_ends as (
    select distinct la_code, period_end from periods
),

candidates as (
    select
        period_ends.la_code,
        period_ends.period_end,
        population.mid_year,
        population.population_0_17,
        population.vintage,
        row_number() over (
            partition by period_ends.la_code, period_ends.period_end
            order by population.mid_year desc
        ) as recency
    from period_ends
    inner join population
        on population.la_code = period_ends.la_code
        and population.mid_year <= extract(year from period_ends.period_end) - 1
),

final as (
    select la_code, period_end, mid_year, population_0_17, vintage
    from candidates
    where recency = 1
)

select * from final
