{#
  The CIN census year the DfE rules check, per council: the year to 31 March (the
  ReferenceDate) that begins on 1 April, as DfE's validator scopes it. var census_year
  chooses it (2023 = the year to 31 March 2023); by default it is the latest complete census
  year of the council's extract: the latest 31 March on or before its reporting date. A
  return checked by csc check-cin-census is built with the reporting date = its
  ReferenceDate, so its own year is chosen. ruleset_year is the year whose DfE rules (seed
  dfe_cin_rules: 2023 to 2027) apply: the census year, or the nearest year the seed has.
#}
with

spans as (
    select la_code, reporting_date from {{ ref('int_extract_spans') }}
),

rulesets as (
    select min(collection_year) as first_year, max(collection_year) as last_year
    from {{ ref('dfe_cin_rules') }}
),

census_years as (
    select
        la_code,
        {% if var('census_year') %}
        cast({{ var('census_year') }} as integer) as census_year
        {% else %}
        cast(
            case
                when month(reporting_date) > 3 or (month(reporting_date) = 3 and day(reporting_date) = 31)
                    then year(reporting_date)
                else year(reporting_date) - 1
            end as integer
        ) as census_year
        {% endif %}
    from spans
),

final as (
    select
        la_code,
        census_year,
        make_date(census_year - 1, 4, 1) as census_start_date,
        make_date(census_year, 3, 31) as reference_date,
        least(greatest(census_year, rulesets.first_year), rulesets.last_year) as ruleset_year
    from census_years
    cross join rulesets
)

select la_code, census_year, census_start_date, reference_date, ruleset_year from final
