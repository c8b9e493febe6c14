{#
  Every flow measure as monthly numerators and denominators, one row per council, reported
  month and flow KPI (months with no events are zeros here, the one place a zero is made).
  This is where each flow KPI's definition lives (the catalogue kpi_definitions says it in
  words); periods are sums of months, so a quarter always equals its months.
#}
with

contacts as (select * from {{ ref('fct_contacts') }}),
early_help as (select * from {{ ref('fct_early_help') }}),
referrals as (select * from {{ ref('fct_referrals') }}),
assessments as (select * from {{ ref('fct_assessments') }}),
s47_enquiries as (select * from {{ ref('fct_s47_enquiries') }}),
icpcs as (select * from {{ ref('fct_icpcs') }}),
cp_plans as (select * from {{ ref('fct_cp_plans') }}),

month_grid as (
    select la_code, period_start as month_start
    from {{ ref('int_reporting_periods') }}
    where period_type = 'month'
),

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
        -- Only a referral's first assessment is timed from the referral.
        sum(case when is_first_assessment_of_referral then 1 else 0 end) as first_completed,
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
        sum(case when counts_for_timeliness and is_within_15wd then 1 else 0 end) as within_15wd,
        sum(case when counts_for_dfe then 1 else 0 end) as dfe_icpcs,
        sum(case when counts_for_dfe and is_within_15wd_dfe then 1 else 0 end) as dfe_within_15wd
    from icpcs
    where icpc_date is not null
    group by 1, 2
),

-- Plans held for another council stay in fct_cp_plans (repeat-plan history) but are not ours
-- to count.
plan_start_measures as (
    select
        la_code,
        {{ dbt.date_trunc('month', 'plan_start_date') }} as month_start,
        count(*) as started,
        sum(case when is_repeat_plan then 1 else 0 end) as repeat_plans
    from cp_plans
    where not is_other_la_plan
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
    where plan_end_date is not null and not is_other_la_plan
    group by 1, 2
),

{% set measure_ctes = {
    'contact_measures': ['contacts', 'contacts_to_referral'],
    'early_help_measures': ['eh_assessments', 'eh_qualifying'],
    'referral_measures': ['referrals', 'rereferrals', 'referrals_nfa', 'referrals_assessed'],
    'assessment_measures': ['completed', 'within_45wd', 'first_completed', 'within_45wd_from_referral', 'within_15wd', 'outcome_nfa'],
    's47_measures': ['enquiries', 'led_to_icpc'],
    'icpc_measures': ['icpcs', 'timed_icpcs', 'within_15wd', 'dfe_icpcs', 'dfe_within_15wd'],
    'plan_start_measures': ['started', 'repeat_plans'],
    'plan_end_measures': ['ended', 'ended_3m', 'ended_2y'],
} %}
-- Every reported month, with a real zero where nothing happened.
monthly as (
    select
        month_grid.la_code,
        month_grid.month_start
        {%- for cte, columns in measure_ctes.items() %}
        {%- for column in columns %},
        coalesce({{ cte }}.{{ column }}, 0) as {{ cte.replace('_measures', '') }}_{{ column }}
        {%- endfor %}
        {%- endfor %}
    from month_grid
    {%- for cte in measure_ctes %}
    left join {{ cte }}
        on {{ cte }}.la_code = month_grid.la_code and {{ cte }}.month_start = month_grid.month_start
    {%- endfor %}
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
