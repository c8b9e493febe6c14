{#
  The warehouse side of the problem DATE_OUT_OF_RANGE, generated from the contract, with the
  door's bounds: a date before var earliest_plausible_date (DATE_BEFORE_EARLIEST_PLAUSIBLE);
  a date not marked future_ok after the council's date ceiling (csc.reporting_date's
  ReportingDate.date_ceiling, which the door uses too: a given reporting date, else the later
  of the derived reporting date and the latest plausible event date), or a future_ok date more
  than a year after the reporting date (DATE_AFTER_REPORTING_DATE). Such a date (a 2099 or a
  1900 typo) is left out of the reporting date itself, so without this rule it would only show
  as an event missing from every period. Events in the part month after a mid-month
  extract's reporting date are real and not flagged.
#}

with

reporting_dates as (
    select la_code, reporting_date, date_ceiling from {{ ref('stg_landing__reporting_dates') }}
),

{% set given = "cast('" ~ var('reporting_date') ~ "' as date)" if var('reporting_date') else none %}
spans as (
    select
        la_code,
        {{ given or 'date_ceiling' }} as date_ceiling,
        {{ dbt.dateadd('year', 1, given or 'reporting_date') }} as future_ceiling
    from reporting_dates
    where date_ceiling is not null
),

-- each distinct date text of the contract's date columns, parsed once (dates repeat over millions of rows)
date_texts as (
    {{ dq_date_texts() }}
),

parsed_texts as (
    select date_text, {{ ssd_date('date_text') }} as parsed_date
    from date_texts
),

-- out of range for some council (the earliest ceiling of any): each row is checked against its own below
out_of_range_texts as (
    select date_text
    from parsed_texts
    where parsed_date < cast('{{ var("earliest_plausible_date") }}' as date)
        or parsed_date > (select min(least(date_ceiling, future_ceiling)) from spans)
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
