{#
  The one anniversary rule: the date `months` calendar months after `start_date` (negative
  goes back). Used for "within 12 months" (re-referrals), "3 months" and "2 years" (plan
  lengths) and ages, so they can never disagree at a month end or on 29 February.

  The anniversary has the same day number `months` later. Where that month has no such day
  (29 February in a non-leap year, the 31st of a 30-day month, 30 or 31 February) the
  anniversary is the first day of the following month: the UK legal convention for ages
  (Family Law Reform Act 1969 s.9, a person born on 29 February attains an age on 1 March in
  a non-leap year), applied to every period length so there is one rule, not two.
    29 Feb 2016 + 12 months = 1 Mar 2017        30 Nov 2014 + 3 months = 1 Mar 2015
    30 Nov 2015 + 3 months  = 1 Mar 2016        29 Feb 2016 + 24 months = 1 Mar 2018
    31 Aug 2016 + 3 months  = 1 Dec 2016        15 Jan 2016 + 12 months = 15 Jan 2017
  dbt.dateadd clips to the month end (30 Nov + 3 months = 28 Feb); when the clipped day is
  earlier than the start's day number the month was too short, so the day after is taken.
  Going back (negative months) the same test applies. Null in, null out.
#}
{% macro anniversary(start_date, months) -%}
    cast(
        case
            when extract(day from {{ dbt.dateadd('month', months, start_date) }})
                 < extract(day from {{ start_date }})
                then {{ dbt.dateadd('day', 1, dbt.dateadd('month', months, start_date)) }}
            else {{ dbt.dateadd('month', months, start_date) }}
        end
        as date
    )
{%- endmacro %}
