{#
  Every CIN census year a council's return could be written for (2016 = the year to 31 March
  2016), with its first day and ReferenceDate: from the year of the earliest referral (or the
  extract's first day, if earlier) to the year after the one holding the reporting date (work
  still open when the extract ends is still open then, as far as the extract knows), within
  the calendar. The census return models hold one set of rows per year, so a return for any
  of them is a filter, not a rebuild.
  A census return checked as it is (var census_as_given, set by csc check-cin-census: the
  extract is one return) has one year, the checked one (int_dq_census_period), and
  is_as_given: the census models take every record as the file gives it, so the rules on
  dates outside the year (8620, 8696, ...) see them. Otherwise is_as_given is false and the
  models keep the records of the year as the council knew them on its ReferenceDate.
#}
with

spans as (
    select la_code, extract_start_date, reporting_date from {{ ref('int_extract_spans') }}
),

first_referrals as (
    select la_code, min(referral_date) as first_referral_date
    from {{ ref('stg_ssd__cin_episodes') }}
    group by la_code
),

calendar as (
    select date_day from {{ ref('dim_date') }}
),

bounds as (
    select
        spans.la_code,
        least(spans.extract_start_date, coalesce(first_referrals.first_referral_date, spans.extract_start_date))
            as first_day,
        {{ dbt.dateadd('year', 1, 'spans.reporting_date') }} as last_day
    from spans
    left join first_referrals on first_referrals.la_code = spans.la_code
),

census_days as (
    select
        bounds.la_code,
        case when month(calendar.date_day) >= 4 then year(calendar.date_day) + 1 else year(calendar.date_day) end
            as census_year
    from bounds
    inner join calendar
        on calendar.date_day between bounds.first_day and bounds.last_day
),

census_years as (
    {% if var('census_as_given') %}
    select la_code, census_year from {{ ref('int_dq_census_period') }}
    {% else %}
    select distinct la_code, cast(census_year as integer) as census_year from census_days
    {% endif %}
)

select
    la_code,
    census_year,
    make_date(census_year - 1, 4, 1) as census_start_date,
    make_date(census_year, 3, 31) as reference_date,
    {{ 'true' if var('census_as_given') else 'false' }} as is_as_given
from census_years
