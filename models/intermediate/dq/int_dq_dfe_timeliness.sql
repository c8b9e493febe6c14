{#
  DfE CIN census timeliness queries (Q rules: "please check", never errors) on the census
  year's return as the export writes it (models/marts/cin_census), as DfE's validator reads
  them:
    8670Q an assessment with no AssessmentAuthorisationDate started before the ReferenceDate
          minus 45 working days;
    8675Q an S47 enquiry with no DateOfInitialCPC and ICPCnotRequired false started before the
          ReferenceDate minus 15 working days.
  "ReferenceDate minus N working days" is the validator's: N - 1 working days back from the
  ReferenceDate when that is a working day, N - 2 back from the last working day before it
  otherwise (pandas CustomBusinessDay(N - 1)). In working-day numbers (which count working days
  up to and including a date) a start fails when wdn(start) < wdn(reference) - (N - 1)
  + (1 if the ReferenceDate is not a working day). Finished work is not queried: how long it
  took is what the timeliness KPIs measure.
#}
with

census as (
    select la_code, census_year, reference_date from {{ ref('int_dq_census_period') }}
),

assessments as (
    select la_code, census_year, assessment_id, assessment_start_date, assessment_auth_date
    from {{ ref('cin_census_assessments') }}
    where referral_id is not null
),

enquiries as (
    select la_code, census_year, s47_enquiry_id, s47_start_date, icpc_date, is_icpc_not_required
    from {{ ref('cin_census_s47_enquiries') }}
    where referral_id is not null
),

calendar as (
    select date_day, working_day_number, is_working_day from {{ ref('dim_date') }}
),

-- The working-day number a start must not be below, per council and threshold.
thresholds as (
    select
        census.la_code,
        census.census_year,
        calendar.working_day_number - 44 + (case when calendar.is_working_day then 0 else 1 end) as wdn_45,
        calendar.working_day_number - 14 + (case when calendar.is_working_day then 0 else 1 end) as wdn_15
    from census
    inner join calendar on calendar.date_day = census.reference_date
),

assessments_open_over_45_working_days as (
    select
        assessments.la_code,
        assessments.census_year,
        'ssd_cin_assessments' as table_name,
        assessments.assessment_id as record_id,
        'cina_assessment_auth_date' as column_name,
        '8670Q' as rule_code,
        cast(assessments.assessment_start_date as {{ dbt.type_string() }}) as value_seen
    from assessments
    inner join thresholds
        on thresholds.la_code = assessments.la_code
        and thresholds.census_year = assessments.census_year
    inner join calendar on calendar.date_day = assessments.assessment_start_date
    where assessments.assessment_auth_date is null
      and calendar.working_day_number < thresholds.wdn_45
),

enquiries_open_over_15_working_days as (
    select
        enquiries.la_code,
        enquiries.census_year,
        'ssd_s47_enquiry' as table_name,
        enquiries.s47_enquiry_id as record_id,
        's47e_s47_start_date' as column_name,
        '8675Q' as rule_code,
        cast(enquiries.s47_start_date as {{ dbt.type_string() }}) as value_seen
    from enquiries
    inner join thresholds
        on thresholds.la_code = enquiries.la_code
        and thresholds.census_year = enquiries.census_year
    inner join calendar on calendar.date_day = enquiries.s47_start_date
    where enquiries.icpc_date is null
      and not enquiries.is_icpc_not_required
      and calendar.working_day_number < thresholds.wdn_15
),

rule_failures as (
    select * from assessments_open_over_45_working_days
    union all
    select * from enquiries_open_over_15_working_days
),

{{ csc_dfe_rule_output('rule_failures') }}
