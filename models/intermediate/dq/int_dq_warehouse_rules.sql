{#
  The warehouse's own row rules, beyond the contract and DfE's, one model each: records of
  a child the person table does not hold (int_dq_persons_missing), events after the child's
  death (int_dq_events_after_death), a child over 25 when referred (int_dq_referrals_over_25)
  and end dates before start dates that no DfE rule covers (int_dq_ends_before_starts).
  All are warnings: the rows stay in the facts. Dates of birth and death are read from
  staging and never written out. (DATE_AFTER_REPORTING_DATE, the other warehouse rule, is
  generated from the contract in int_dq_future_dates.)
#}
with

persons_missing as (select * from {{ ref('int_dq_persons_missing') }}),
events_after_death as (select * from {{ ref('int_dq_events_after_death') }}),
referrals_over_25 as (select * from {{ ref('int_dq_referrals_over_25') }}),
ends_before_starts as (select * from {{ ref('int_dq_ends_before_starts') }}),

{% set columns = 'la_code, table_name, record_id, column_name, rule_code, message, value_seen' %}
rule_failures as (
    select {{ columns }} from persons_missing
    union all select {{ columns }} from events_after_death
    union all select {{ columns }} from referrals_over_25
    union all select {{ columns }} from ends_before_starts
),

-- Severity and source are stated here once for every warehouse rule.
final as (
    select
        la_code,
        table_name,
        record_id,
        column_name,
        rule_code,
        'warn' as severity,
        message,
        value_seen,
        'warehouse' as rule_source
    from rule_failures
)

select * from final
