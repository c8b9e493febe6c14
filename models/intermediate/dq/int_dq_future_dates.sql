{#
  The warehouse rule DATE_AFTER_REPORTING_DATE, generated from the contract: any date not
  marked future_ok that lies after the council's date ceiling (csc.reporting_date's
  ReportingDate.date_ceiling, which the door uses too: a given reporting date, else the later
  of the derived reporting date and the latest plausible event date). Such a date (a 2099
  typo) is left out of the reporting date itself (dates after today are ignored), so without
  this rule it would only show as an event missing from every period. Events in the part month after a mid-month extract's reporting
  date are real and not flagged.
#}

with

reporting_dates as (
    select la_code, date_ceiling from {{ ref('stg_landing__reporting_dates') }}
),

spans as (
    select
        la_code,
        {% if var('reporting_date') -%}
        cast('{{ var("reporting_date") }}' as date) as date_ceiling
        {%- else -%}
        date_ceiling
        {%- endif %}
    from reporting_dates
    where date_ceiling is not null
),

future_date_issues as (
    {{ dq_future_date_issues() }}
)

select
    la_code,
    table_name,
    source_file,
    line_number,
    record_id,
    child_key,
    column_name,
    rule_code,
    severity,
    message,
    value_seen,
    rule_source
from future_date_issues
