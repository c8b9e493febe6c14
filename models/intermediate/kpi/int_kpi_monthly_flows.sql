{#
  Every flow measure as monthly numerators and denominators. This is where each flow KPI's
  definition lives (the catalogue seed kpi_definitions says it in words); periods are sums
  of months, so a quarter always equals its months and fytd always equals its quarters.
#}
with

contacts as (select * from {{ ref('fct_contacts') }}),
early_help as (select * from {{ ref('fct_early_help') }}),
referrals as (select * from {{ ref('fct_referrals') }}),
assessments as (select * from {{ ref('fct_assessments') }}),
s47_enquiries as (select * from {{ ref('fct_s47_enquiries') }}),
icpcs as (select * from {{ ref('fct_icpcs') }}),
cp_plans as (select * from {{ ref('fct_cp_plans') }}),

contact_measures as (
    select
        la_code,
        {{ dbt.date_trunc('month', 'contact_date') }} as month_start,
        count(*) as contacts,
        sum(case when led_to_new_referral then 1 else 0 end) as contacts_to_referral
    from contacts
    group by 1, 2
),

early_help_measures as (
    select
        la_code,
        {{ dbt.date_trunc('month', 'assessment_date') }} as month_start,
        count(*) as eh_assessments,
        sum(case when counts_under_multi_agency_rule then 1 else 0 end) as eh_qualifying
    from early_help
    where assessment_date is not null
    group by 1, 2
),

referral_measures as (
    select
        la_code,
        {{ dbt.date_trunc('month', 'referral_date') }} as month_start,
        count(*) as referrals,
        sum(case when is_rereferral_12m then 1 else 0 end) as rereferrals,
        sum(case when is_referral_nfa then 1 else 0 end) as referrals_nfa,
        sum(case when led_to_assessment then 1 else 0 end) as referrals_assessed
    from referrals
    group by 1, 2
),

assessment_measures as (
    select
        la_code,
        {{ dbt.date_trunc('month', 'assessment_auth_date') }} as month_start,
        count(*) as completed,
        sum(case when is_within_45wd then 1 else 0 end) as within_45wd,
        sum(case when is_within_45wd_from_referral then 1 else 0 end) as within_45wd_from_referral,
        sum(case when is_within_15wd then 1 else 0 end) as within_15wd,
        sum(case when is_outcome_nfa then 1 else 0 end) as outcome_nfa
    from assessments
    where assessment_auth_date is not null
    group by 1, 2
),

s47_measures as (
    select
        la_code,
        {{ dbt.date_trunc('month', 's47_start_date') }} as month_start,
        count(*) as enquiries,
        sum(case when led_to_icpc then 1 else 0 end) as led_to_icpc
    from s47_enquiries
    group by 1, 2
),

icpc_measures as (
    select
        la_code,
        {{ dbt.date_trunc('month', 'icpc_date') }} as month_start,
        count(*) as icpcs,
        sum(case when counts_for_timeliness then 1 else 0 end) as timed_icpcs,
        sum(case when counts_for_timeliness and is_within_15wd then 1 else 0 end) as within_15wd
    from icpcs
    where icpc_date is not null
    group by 1, 2
),

plan_start_measures as (
    select
        la_code,
        {{ dbt.date_trunc('month', 'plan_start_date') }} as month_start,
        count(*) as started,
        sum(case when is_repeat_plan then 1 else 0 end) as repeat_plans
    from cp_plans
    group by 1, 2
),

plan_end_measures as (
    select
        la_code,
        {{ dbt.date_trunc('month', 'plan_end_date') }} as month_start,
        count(*) as ended,
        sum(case when ended_within_3_months then 1 else 0 end) as ended_3m,
        sum(case when lasted_2_years_or_more then 1 else 0 end) as ended_2y
    from cp_plans
    where plan_end_date is not null
    group by 1, 2
),

-- (kpi_code, numerator, denominator): a null denominator is a plain count; monthly averages
-- get their denominator (months in the period) when periods are built.
unpivoted as (
    select la_code, month_start, 'CONTACTS' as kpi_code, contacts as numerator, null as denominator from contact_measures
    union all select la_code, month_start, 'CONTACTS_TO_REFERRAL_PCT', contacts_to_referral, contacts from contact_measures
    union all select la_code, month_start, 'EH_ASSESSMENTS', eh_assessments, null from early_help_measures
    union all select la_code, month_start, 'EH_ASSESSMENTS_QUALIFYING', eh_qualifying, null from early_help_measures
    union all select la_code, month_start, 'REFERRALS', referrals, null from referral_measures
    union all select la_code, month_start, 'REFERRALS_MONTHLY_AVG', referrals, null from referral_measures
    union all select la_code, month_start, 'REREFERRALS_12M_PCT', rereferrals, referrals from referral_measures
    union all select la_code, month_start, 'REFERRALS_NFA_PCT', referrals_nfa, referrals from referral_measures
    union all select la_code, month_start, 'REFERRALS_TO_ASSESSMENT_PCT', referrals_assessed, referrals from referral_measures
    union all select la_code, month_start, 'ASSESSMENTS_COMPLETED', completed, null from assessment_measures
    union all select la_code, month_start, 'ASSESSMENTS_45WD_PCT', within_45wd, completed from assessment_measures
    union all select la_code, month_start, 'ASSESSMENTS_45WD_FROM_REFERRAL_PCT', within_45wd_from_referral, completed from assessment_measures
    union all select la_code, month_start, 'ASSESSMENTS_15WD_PCT', within_15wd, completed from assessment_measures
    union all select la_code, month_start, 'ASSESSMENTS_NFA_PCT', outcome_nfa, completed from assessment_measures
    union all select la_code, month_start, 'S47_ENQUIRIES', enquiries, null from s47_measures
    union all select la_code, month_start, 'S47_MONTHLY_AVG', enquiries, null from s47_measures
    union all select la_code, month_start, 'S47_TO_ICPC_PCT', led_to_icpc, enquiries from s47_measures
    union all select la_code, month_start, 'ICPCS', icpcs, null from icpc_measures
    union all select la_code, month_start, 'ICPC_15WD_PCT', within_15wd, timed_icpcs from icpc_measures
    union all select la_code, month_start, 'CPP_STARTED', started, null from plan_start_measures
    union all select la_code, month_start, 'CPP_REPEAT_PCT', repeat_plans, started from plan_start_measures
    union all select la_code, month_start, 'CPP_ENDED', ended, null from plan_end_measures
    union all select la_code, month_start, 'CPP_ENDED_3M_PCT', ended_3m, ended from plan_end_measures
    union all select la_code, month_start, 'CPP_ENDED_2Y_PCT', ended_2y, ended from plan_end_measures
),

final as (
    select
        la_code,
        kpi_code,
        cast(month_start as date) as month_start,
        cast(numerator as bigint) as numerator,
        cast(denominator as bigint) as denominator
    from unpivoted
)

select * from final
