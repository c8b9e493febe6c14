with

plans as (
    select * from {{ ref('fct_cp_plans') }}
),

month_ends as (
    select la_code, period_end as month_end
    from {{ ref('int_reporting_periods') }}
    where period_type = 'month'
),

open_at_month_end as (
    select
        month_ends.la_code,
        month_ends.month_end,
        plans.child_key,
        plans.cp_plan_id,
        plans.plan_start_date,
        plans.initial_category_code
    from month_ends
    inner join plans
        on plans.la_code = month_ends.la_code
        and plans.plan_start_date <= month_ends.month_end
        and (plans.plan_end_date is null or plans.plan_end_date > month_ends.month_end)
    -- Plans held temporarily for another council are that council's children, not ours.
    where not plans.is_other_la_plan
),

-- A child is counted once even if two plan records overlap: the earliest-started one is kept.
final as (
    select
        la_code,
        month_end,
        child_key,
        cp_plan_id,
        plan_start_date,
        initial_category_code,
        cast({{ dbt.datediff('plan_start_date', 'month_end', 'day') }} as integer) as days_on_plan
    from (
        select
            open_at_month_end.*,
            row_number() over (
                partition by la_code, month_end, child_key order by plan_start_date, cp_plan_id
            ) as plan_order
        from open_at_month_end
    ) as ordered
    where plan_order = 1
)

select * from final
