{#
  Whole years of age at a date: years between the dates, less one if the birthday has not
  yet come round in at_date's year (month and day compared as month * 100 + day).
  A child born on 29 February is a year older on 1 March in a non-leap year (0301 > 0229),
  the UK legal convention (Family Law Reform Act 1969 s.9: age is attained at the start of
  the anniversary of the birth date; with no 29 February the anniversary is 1 March).
  Plain extract() arithmetic, so the same SQL runs on DuckDB, Postgres, Snowflake and
  others; null in, null out. An at_date before the birth gives a negative age.
#}
{% macro age_in_years(date_of_birth, at_date) -%}
    cast(
        (extract(year from {{ at_date }}) - extract(year from {{ date_of_birth }}))
        - case
            when extract(month from {{ at_date }}) * 100 + extract(day from {{ at_date }})
                 < extract(month from {{ date_of_birth }}) * 100 + extract(day from {{ date_of_birth }})
                then 1
            else 0
          end
        as {{ dbt.type_int() }}
    )
{%- endmacro %}
