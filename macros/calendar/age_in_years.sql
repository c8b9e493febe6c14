{#
  Whole years of age at a date: the calendar years between the dates, less one if the
  birthday of at_date's year (the anniversary macro's rule: 29 February falls on 1 March in a
  non-leap year) is still to come. Null in, null out; an at_date before the birth gives a
  negative age.
#}
{% macro age_in_years(date_of_birth, at_date) -%}
    cast(
        (extract(year from {{ at_date }}) - extract(year from {{ date_of_birth }}))
        - case
            when {{ at_date }} < {{ anniversary(date_of_birth,
                '12 * (extract(year from ' ~ at_date ~ ') - extract(year from ' ~ date_of_birth ~ '))') }}
                then 1
            else 0
          end
        as {{ dbt.type_int() }}
    )
{%- endmacro %}
