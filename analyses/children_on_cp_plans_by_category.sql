-- Children subject to a child protection plan at a month end, by category of abuse (initial
-- and latest), with the share of all children on plans, plans over two years and the median
-- time on plan; the last row per council is the total. Change the date for another month end
-- (fct_cp_plans_month_end has one row per child per plan per month end).
with at_month_end as (
    select me.la_code, me.child_key, me.cp_plan_id, me.days_on_plan,
           coalesce(me.initial_category_code, 'not recorded') as initial_category,
           coalesce(plans.latest_category_code, 'not recorded') as latest_category
    from marts.fct_cp_plans_month_end as me
    left join marts.fct_cp_plans as plans
        on plans.la_code = me.la_code and plans.cp_plan_id = me.cp_plan_id
    where me.month_end = date '2016-09-30'
),

by_category as (
    select la_code, initial_category, latest_category,
           count(distinct child_key) as children,
           count(*) filter (where days_on_plan >= 730) as plans_over_2_years,
           median(days_on_plan) as median_days_on_plan,
           0 as is_total
    from at_month_end
    group by la_code, initial_category, latest_category
    union all
    select la_code, 'All categories', 'All categories',
           count(distinct child_key), count(*) filter (where days_on_plan >= 730),
           median(days_on_plan), 1
    from at_month_end
    group by la_code
)

select
    la_code,
    initial_category,
    latest_category,
    children,
    round(100.0 * children / max(children) filter (where is_total = 1) over (partition by la_code), 1)
        as pct_of_children,
    plans_over_2_years,
    round(median_days_on_plan) as median_days_on_plan
from by_category
order by la_code asc, is_total asc, children desc, initial_category asc, latest_category asc;
