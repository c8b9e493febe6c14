{#
  The warehouse rule DATE_AFTER_REPORTING_DATE, generated from the contract: any date not
  marked future_ok that lies after the council's reporting date. Such a date (a 2099 typo)
  is left out of the reporting date itself (int_extract_spans ignores dates after today), so
  without this rule it would only show as an event missing from every period.
#}

with

spans as (
    select la_code, reporting_date from {{ ref('int_extract_spans') }}
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
