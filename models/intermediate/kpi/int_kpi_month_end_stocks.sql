{#
  Every stock measure at each month end: the month-end tables hold one row per child, so a
  stock is a count of their rows (rates get their population when periods are built).
#}
with

children_in_need as (select * from {{ ref('fct_children_in_need_month_end') }}),
children_on_plans as (select * from {{ ref('fct_cp_plans_month_end') }}),

month_ends as (
    select la_code, period_end as month_end
    from {{ ref('int_reporting_periods') }}
    where period_type = 'month'
),

cin_counts as (
    select
        la_code,
        month_end,
        count(*) as cin_children,
        sum(case when is_short_break_only then 1 else 0 end) as short_break_only
    from children_in_need
    group by 1, 2
),

cpp_counts as (
    select la_code, month_end, count(*) as cpp_children
    from children_on_plans
    group by 1, 2
),

-- Month ends with nobody open are real zeros, so start from the month ends, not the counts.
dense as (
    select
        month_ends.la_code,
        month_ends.month_end,
        coalesce(cin_counts.cin_children, 0) as cin_children,
        coalesce(cin_counts.short_break_only, 0) as short_break_only,
        coalesce(cpp_counts.cpp_children, 0) as cpp_children
    from month_ends
    left join cin_counts
        on cin_counts.la_code = month_ends.la_code and cin_counts.month_end = month_ends.month_end
    left join cpp_counts
        on cpp_counts.la_code = month_ends.la_code and cpp_counts.month_end = month_ends.month_end
),

unpivoted as (
    select la_code, month_end, 'CPP_CHILDREN' as kpi_code, cpp_children as numerator from dense
    union all select la_code, month_end, 'CPP_RATE_10K', cpp_children from dense
    union all select la_code, month_end, 'CIN_CHILDREN', cin_children from dense
    union all select la_code, month_end, 'CIN_SHORT_BREAK_ONLY', short_break_only from dense
    union all select la_code, month_end, 'CIN_EXCL_SHORT_BREAK', cin_children - short_break_only from dense
    union all select la_code, month_end, 'CIN_RATE_10K', cin_children from dense
),

final as (
    select
        la_code,
        kpi_code,
        cast(month_end as date) as month_end,
        cast(numerator as bigint) as numerator
    from unpivoted
)

select * from final
