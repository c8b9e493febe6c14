{#
  Every flow measure as monthly numerators and denominators, one row per council, reported
  month and flow KPI (months with no events are zeros, made by the two monthly count models).
  This is where each flow KPI's definition lives (the catalogue kpi_definitions says it in
  words): which counted events are its numerator and which its denominator. Periods are sums
  of months, so a quarter always equals its months.
#}
with

front_door as (select * from {{ ref('int_kpi_monthly_front_door_counts') }}),
protection as (select * from {{ ref('int_kpi_monthly_protection_counts') }}),

{% set protection_counts = [
    's47_enquiries', 's47_led_to_icpc', 'icpc_icpcs', 'icpc_timed_icpcs', 'icpc_within_15wd',
    'icpc_dfe_icpcs', 'icpc_dfe_within_15wd', 'plan_start_started', 'plan_start_repeat_plans',
    'plan_end_ended', 'plan_end_ended_3m', 'plan_end_ended_2y'] %}
-- Both count models hold every reported month of every council.
monthly as (
    select
        front_door.*
        {%- for column in protection_counts %},
        protection.{{ column }}
        {%- endfor %}
    from front_door
    inner join protection
        on protection.la_code = front_door.la_code and protection.month_start = front_door.month_start
),

-- (kpi_code, numerator, denominator): a null denominator is a plain count; monthly averages
-- get their denominator (months in the period) when periods are built.
unpivoted as (
    select la_code, month_start, 'CONTACTS' as kpi_code, contact_contacts as numerator, null as denominator from monthly
    union all select la_code, month_start, 'CONTACTS_TO_REFERRAL_PCT', contact_contacts_to_referral, contact_contacts from monthly
    union all select la_code, month_start, 'EH_ASSESSMENTS', early_help_eh_assessments, null from monthly
    union all select la_code, month_start, 'EH_ASSESSMENTS_QUALIFYING', early_help_eh_qualifying, null from monthly
    union all select la_code, month_start, 'REFERRALS', referral_referrals, null from monthly
    union all select la_code, month_start, 'REFERRALS_MONTHLY_AVG', referral_referrals, null from monthly
    union all select la_code, month_start, 'REREFERRALS_12M_PCT', referral_rereferrals, referral_referrals from monthly
    union all select la_code, month_start, 'REFERRALS_NFA_PCT', referral_referrals_nfa, referral_referrals from monthly
    union all select la_code, month_start, 'REFERRALS_TO_ASSESSMENT_PCT', referral_referrals_assessed, referral_referrals from monthly
    union all select la_code, month_start, 'ASSESSMENTS_COMPLETED', assessment_completed, null from monthly
    union all select la_code, month_start, 'ASSESSMENTS_45WD_PCT', assessment_within_45wd, assessment_completed from monthly
    union all select la_code, month_start, 'ASSESSMENTS_45WD_FROM_REFERRAL_PCT', assessment_within_45wd_from_referral, assessment_first_completed from monthly
    union all select la_code, month_start, 'ASSESSMENTS_15WD_PCT', assessment_within_15wd, assessment_completed from monthly
    union all select la_code, month_start, 'ASSESSMENTS_NFA_PCT', assessment_outcome_nfa, assessment_completed from monthly
    union all select la_code, month_start, 'S47_ENQUIRIES', s47_enquiries, null from monthly
    union all select la_code, month_start, 'S47_MONTHLY_AVG', s47_enquiries, null from monthly
    union all select la_code, month_start, 'S47_TO_ICPC_PCT', s47_led_to_icpc, s47_enquiries from monthly
    union all select la_code, month_start, 'S47_TO_ICPC_DFE_PCT', icpc_dfe_icpcs, s47_enquiries from monthly
    union all select la_code, month_start, 'ICPCS', icpc_icpcs, null from monthly
    union all select la_code, month_start, 'ICPCS_DFE', icpc_dfe_icpcs, null from monthly
    union all select la_code, month_start, 'ICPC_15WD_PCT', icpc_within_15wd, icpc_timed_icpcs from monthly
    union all select la_code, month_start, 'ICPC_15WD_DFE_PCT', icpc_dfe_within_15wd, icpc_dfe_icpcs from monthly
    union all select la_code, month_start, 'CPP_STARTED', plan_start_started, null from monthly
    union all select la_code, month_start, 'CPP_REPEAT_PCT', plan_start_repeat_plans, plan_start_started from monthly
    union all select la_code, month_start, 'CPP_ENDED', plan_end_ended, null from monthly
    union all select la_code, month_start, 'CPP_ENDED_3M_PCT', plan_end_ended_3m, plan_end_ended from monthly
    union all select la_code, month_start, 'CPP_ENDED_2Y_PCT', plan_end_ended_2y, plan_end_ended from monthly
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
