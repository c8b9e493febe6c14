-- Stock counts equal the distinct children in the month-end tables at period_end.
with

kpi_values as (
    select * from {{ ref('kpi_values') }}
    where kpi_code in ('CIN_CHILDREN', 'CIN_SHORT_BREAK_ONLY', 'CPP_CHILDREN') and numerator is not null
),

children_in_need as (
    select
        la_code,
        month_end,
        count(distinct child_key) as cin_children,
        count(distinct case when is_short_break_only then child_key end) as short_break_only
    from {{ ref('fct_children_in_need_month_end') }}
    group by 1, 2
),

children_on_plans as (
    select la_code, month_end, count(distinct child_key) as cpp_children
    from {{ ref('fct_cp_plans_month_end') }}
    group by 1, 2
),

compared as (
    select
        kpi_values.la_code,
        kpi_values.kpi_code,
        kpi_values.period_type,
        kpi_values.period_end,
        kpi_values.numerator,
        coalesce(case kpi_values.kpi_code
            when 'CIN_CHILDREN' then children_in_need.cin_children
            when 'CIN_SHORT_BREAK_ONLY' then children_in_need.short_break_only
            when 'CPP_CHILDREN' then children_on_plans.cpp_children
        end, 0) as distinct_children
    from kpi_values
    left join children_in_need
        on children_in_need.la_code = kpi_values.la_code
        and children_in_need.month_end = kpi_values.period_end
    left join children_on_plans
        on children_on_plans.la_code = kpi_values.la_code
        and children_on_plans.month_end = kpi_values.period_end
)

select * from compared
where numerator <> distinct_children
