{#
  Working days between two dates (England and Wales): the number of days d with
  start < d <= end that are neither weekend days nor bank holidays. Same day = 0,
  Friday -> Monday = 1, Saturday -> Monday = 1, end before start = the count negated.

  A working-day count needs the calendar, and a scalar subquery per row is slow and not
  portable, so the model joins dim_date once for each date and this macro subtracts the
  running counts. Because working_day_number counts working days up to AND including a date,
  wdn(end) - wdn(start) counts exactly the working days after start up to end, whatever
  kind of day start and end are. Usage:

      left join {{ ref('dim_date') }} as d_start on d_start.date_day = x.start_date
      left join {{ ref('dim_date') }} as d_end on d_end.date_day = x.end_date
      ...
      {{ working_days_between('d_start', 'd_end') }} as working_days

  A missing date, or one outside the calendar, gives null.
#}
{% macro working_days_between(start_calendar, end_calendar, column='working_day_number') -%}
    ({{ end_calendar }}.{{ column }} - {{ start_calendar }}.{{ column }})
{%- endmacro %}
