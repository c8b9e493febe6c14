{#
  DfE CIN census timeliness queries (Q rules: "please check", never errors). DfE words both
  about work still open at the census date: 8670Q an assessment with no authorisation date
  started more than 45 working days before it, 8675Q an S47 enquiry with no conference (and
  not concluded without one) started more than 15 working days before it. The reporting date
  stands for the census date. The same thresholds are also applied to finished work, which
  the KPIs time: an assessment authorised more than 45 working days after it started
  (fct_assessments.working_days_start_to_auth) and a conference held more than 15 working
  days after its enquiry started (fct_icpcs.working_days_from_s47). The message says which.
  Working days are dim_date's (England and Wales: not weekends, not bank holidays).
#}
with

assessments as (
    select la_code, assessment_id, assessment_start_date, assessment_auth_date, working_days_start_to_auth
    from {{ ref('fct_assessments') }}
),

conferences as (
    select la_code, icpc_id, icpc_date, counts_for_timeliness, working_days_from_s47
    from {{ ref('fct_icpcs') }}
),

enquiries as (
    select la_code, s47_enquiry_id, s47_start_date, s47_end_date, outcome_icpc
    from {{ ref('stg_ssd__s47_enquiry') }}
),

enquiry_facts as (
    select la_code, s47_enquiry_id, is_nfa, led_to_icpc
    from {{ ref('fct_s47_enquiries') }}
),

spans as (
    select la_code, reporting_date from {{ ref('int_extract_spans') }}
),

calendar as (
    select date_day, working_day_number from {{ ref('dim_date') }}
),

-- Working days from a start date to the council's reporting date, for work still open.
open_assessment_ages as (
    select
        assessments.la_code,
        assessments.assessment_id,
        assessments.assessment_start_date,
        {{ working_days_between('d_start', 'd_reporting') }} as working_days_open
    from assessments
    inner join spans on spans.la_code = assessments.la_code
    left join calendar as d_start on d_start.date_day = assessments.assessment_start_date
    left join calendar as d_reporting on d_reporting.date_day = spans.reporting_date
    where assessments.assessment_auth_date is null
),

open_enquiry_ages as (
    select
        enquiries.la_code,
        enquiries.s47_enquiry_id,
        enquiries.s47_start_date,
        {{ working_days_between('d_start', 'd_reporting') }} as working_days_open
    from enquiries
    inner join enquiry_facts
        on enquiry_facts.la_code = enquiries.la_code
        and enquiry_facts.s47_enquiry_id = enquiries.s47_enquiry_id
    inner join spans on spans.la_code = enquiries.la_code
    left join calendar as d_start on d_start.date_day = enquiries.s47_start_date
    left join calendar as d_reporting on d_reporting.date_day = spans.reporting_date
    where {{ dq_s47_awaits_icpc('enquiry_facts.led_to_icpc', 'enquiry_facts.is_nfa', 'enquiries.s47_end_date', 'enquiries.outcome_icpc') }}
),

-- 8670Q as DfE words it: no AssessmentAuthorisationDate and AssessmentActualStartDate more
-- than 45 working days before the reporting date.
assessments_open_over_45_working_days as (
    select
        la_code,
        'ssd_cin_assessments' as table_name,
        assessment_id as record_id,
        'cina_assessment_auth_date' as column_name,
        '8670Q' as rule_code,
        'Please check and either amend data or provide a reason: Assessment started more than 45 working days before the end of the census year. However, there is no Assessment end date. (open '
            || cast(working_days_open as {{ dbt.type_string() }}) || ' working days at the reporting date)' as message,
        cast(assessment_start_date as {{ dbt.type_string() }}) as value_seen
    from open_assessment_ages
    where working_days_open > 45
),

-- 8670Q applied to finished assessments: authorised more than 45 working days after starting.
assessments_authorised_after_45_working_days as (
    select
        la_code,
        'ssd_cin_assessments' as table_name,
        assessment_id as record_id,
        'cina_assessment_auth_date' as column_name,
        '8670Q' as rule_code,
        'Please check: assessment authorised more than 45 working days after it started ('
            || cast(working_days_start_to_auth as {{ dbt.type_string() }}) || ' working days)' as message,
        cast(assessment_auth_date as {{ dbt.type_string() }}) as value_seen
    from assessments
    where working_days_start_to_auth > 45
),

-- 8675Q as DfE words it: no DateOfInitialCPC, ICPCnotRequired not true, and
-- S47ActualStartDate more than 15 working days before the reporting date.
enquiries_open_over_15_working_days as (
    select
        la_code,
        'ssd_s47_enquiry' as table_name,
        s47_enquiry_id as record_id,
        's47e_s47_start_date' as column_name,
        '8675Q' as rule_code,
        'Please check and either amend data or provide a reason: S47 Enquiry started more than 15 working days before the end of the census year. However, there is no date of Initial Child Protection Conference. ('
            || cast(working_days_open as {{ dbt.type_string() }}) || ' working days at the reporting date)' as message,
        cast(s47_start_date as {{ dbt.type_string() }}) as value_seen
    from open_enquiry_ages
    where working_days_open > 15
),

-- 8675Q applied to held conferences: more than 15 working days after the enquiry started,
-- for the conferences the ICPC timeliness KPI times (fct_icpcs.counts_for_timeliness).
conferences_after_15_working_days as (
    select
        la_code,
        'ssd_initial_cp_conference' as table_name,
        icpc_id as record_id,
        'icpc_icpc_date' as column_name,
        '8675Q' as rule_code,
        'Please check: initial child protection conference held more than 15 working days after the S47 enquiry started ('
            || cast(working_days_from_s47 as {{ dbt.type_string() }}) || ' working days)' as message,
        cast(icpc_date as {{ dbt.type_string() }}) as value_seen
    from conferences
    where counts_for_timeliness and working_days_from_s47 > 15
),

rule_failures as (
    select * from assessments_open_over_45_working_days
    union all select * from assessments_authorised_after_45_working_days
    union all select * from enquiries_open_over_15_working_days
    union all select * from conferences_after_15_working_days
)

select
    la_code,
    table_name,
    record_id,
    column_name,
    rule_code,
    'warn' as severity,
    message,
    value_seen,
    'dfe' as rule_source
from rule_failures
