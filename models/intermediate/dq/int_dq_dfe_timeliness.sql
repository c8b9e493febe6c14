{#
  DfE CIN census timeliness queries (Q rules: "please check", never errors), about work still
  open at the census ReferenceDate, as DfE's validator reads them:
    8670Q an assessment with no AssessmentAuthorisationDate (none by the ReferenceDate: a
          later one was not yet known) started before the ReferenceDate minus 45 working days;
    8675Q an S47 enquiry with no DateOfInitialCPC (no conference held by the ReferenceDate)
          and ICPCnotRequired false (not concluded without one, the export's reading) started
          before the ReferenceDate minus 15 working days, of the enquiries the return holds
          (not ended before the census year).
  "ReferenceDate minus N working days" is the validator's: N - 1 working days back from the
  ReferenceDate when that is a working day, N - 2 back from the last working day before it
  otherwise (pandas CustomBusinessDay(N - 1)). In working-day numbers (which count working days
  up to and including a date) a start fails when wdn(start) < wdn(reference) - (N - 1)
  + (1 if the ReferenceDate is not a working day). Finished work is not queried: how long it
  took is what the timeliness KPIs measure.
#}
with

assessments as (
    select la_code, assessment_id, assessment_start_date, assessment_auth_date
    from {{ ref('stg_ssd__cin_assessments') }}
),

enquiries as (
    select la_code, s47_enquiry_id, s47_start_date, s47_end_date, is_nfa, outcome_icpc
    from {{ ref('stg_ssd__s47_enquiry') }}
),

conferences as (
    select la_code, s47_enquiry_id, icpc_date, is_transfer_in
    from {{ ref('stg_ssd__initial_cp_conference') }}
),

census as (
    select la_code, census_start_date, reference_date, ruleset_year from {{ ref('int_dq_census_period') }}
),

calendar as (
    select date_day, working_day_number, is_working_day from {{ ref('dim_date') }}
),

-- The working-day number a start must not be below, per council and threshold.
thresholds as (
    select
        census.la_code,
        census.census_start_date,
        census.reference_date,
        calendar.working_day_number - 44 + (case when calendar.is_working_day then 0 else 1 end) as wdn_45,
        calendar.working_day_number - 14 + (case when calendar.is_working_day then 0 else 1 end) as wdn_15
    from census
    inner join calendar on calendar.date_day = census.reference_date
),

held_by_reference_date as (
    select distinct conferences.la_code, conferences.s47_enquiry_id
    from conferences
    inner join census on census.la_code = conferences.la_code
    where conferences.s47_enquiry_id is not null
      and not conferences.is_transfer_in
      and conferences.icpc_date <= census.reference_date
),

assessments_open_over_45_working_days as (
    select
        assessments.la_code,
        'ssd_cin_assessments' as table_name,
        assessments.assessment_id as record_id,
        'cina_assessment_auth_date' as column_name,
        '8670Q' as rule_code,
        cast(assessments.assessment_start_date as {{ dbt.type_string() }}) as value_seen
    from assessments
    inner join thresholds on thresholds.la_code = assessments.la_code
    inner join calendar on calendar.date_day = assessments.assessment_start_date
    where assessments.assessment_start_date <= thresholds.reference_date
      and (assessments.assessment_auth_date is null or assessments.assessment_auth_date > thresholds.reference_date)
      and calendar.working_day_number < thresholds.wdn_45
),

enquiries_open_over_15_working_days as (
    select
        enquiries.la_code,
        'ssd_s47_enquiry' as table_name,
        enquiries.s47_enquiry_id as record_id,
        's47e_s47_start_date' as column_name,
        '8675Q' as rule_code,
        cast(enquiries.s47_start_date as {{ dbt.type_string() }}) as value_seen
    from enquiries
    inner join thresholds on thresholds.la_code = enquiries.la_code
    inner join calendar on calendar.date_day = enquiries.s47_start_date
    left join held_by_reference_date as held
        on held.la_code = enquiries.la_code
        and held.s47_enquiry_id = enquiries.s47_enquiry_id
    where held.s47_enquiry_id is null
      and enquiries.s47_start_date <= thresholds.reference_date
      and (enquiries.s47_end_date is null or enquiries.s47_end_date >= thresholds.census_start_date)
      -- ICPCnotRequired: an outcome of no conference, no further action, or ended by the
      -- ReferenceDate without a conference outcome
      and coalesce(enquiries.outcome_icpc, true)
      and not coalesce(enquiries.is_nfa, false)
      and not coalesce(enquiries.s47_end_date <= thresholds.reference_date and not coalesce(enquiries.outcome_icpc, false), false)
      and calendar.working_day_number < thresholds.wdn_15
),

rule_failures as (
    select * from assessments_open_over_45_working_days
    union all
    select * from enquiries_open_over_15_working_days
),

-- DfE's message for the council's census year
messages as (
    select census.la_code, rules.rule_code, rules.message
    from census
    inner join {{ ref('dfe_cin_rules') }} as rules on rules.collection_year = census.ruleset_year
)

select
    rule_failures.la_code,
    rule_failures.table_name,
    rule_failures.record_id,
    rule_failures.column_name,
    rule_failures.rule_code,
    'warn' as severity,
    messages.message,
    rule_failures.value_seen,
    'dfe' as rule_source
from rule_failures
inner join messages
    on messages.la_code = rule_failures.la_code
    and messages.rule_code = rule_failures.rule_code
