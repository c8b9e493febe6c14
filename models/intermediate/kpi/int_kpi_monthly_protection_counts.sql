{#
  Child protection's events counted per council and reported month: section 47 enquiries,
  initial conferences, plans started and plans ended, with the conditions the flow KPIs count
  (a month with no events is zeros here). int_kpi_monthly_flows names them as KPIs.
#}
with

s47_enquiries as (select * from {{ ref('fct_s47_enquiries') }}),
icpcs as (select * from {{ ref('fct_icpcs') }}),
cp_plans as (select * from {{ ref('fct_cp_plans') }}),

month_grid as (
    select la_code, period_start as month_start
    from {{ ref('int_reporting_periods') }}
    where period_type = 'month'
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
    's47_measures': ['enquiries', 'led_to_icpc'],
    'icpc_measures': ['icpcs', 'timed_icpcs', 'within_15wd', 'dfe_icpcs', 'dfe_within_15wd'],
    'plan_start_measures': ['started', 'repeat_plans'],
    'plan_end_measures': ['ended', 'ended_3m', 'ended_2y'],
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
