{#
  The front door's events counted per council and reported month: contacts, early help
  assessments, referrals and completed single assessments, with the conditions the flow KPIs
  count (a month with no events is zeros here). int_kpi_monthly_flows names them as KPIs.
#}
with

contacts as (select * from {{ ref('fct_contacts') }}),
early_help as (select * from {{ ref('fct_early_help') }}),
referrals as (select * from {{ ref('fct_referrals') }}),
assessments as (select * from {{ ref('fct_assessments') }}),

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

{% set measure_ctes = {
    'contact_measures': ['contacts', 'contacts_to_referral'],
    'early_help_measures': ['eh_assessments', 'eh_qualifying'],
    'referral_measures': ['referrals', 'rereferrals', 'referrals_nfa', 'referrals_assessed'],
    'assessment_measures': ['completed', 'within_45wd', 'first_completed', 'within_45wd_from_referral', 'within_15wd', 'outcome_nfa'],
} %}
-- Every reported month, with a real zero where nothing happened.
final as (
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
)

select * from final
