with

plans as (
    select * from {{ ref('stg_ssd__cp_plans') }}
),

reviews as (
    select la_code, cp_plan_id, min(review_date) as first_review_date
    from {{ ref('stg_ssd__cp_reviews') }}
    group by la_code, cp_plan_id
),

-- Earlier plans of the same child, by window: rank - 1 counts plans that started strictly
-- earlier, so two records starting on the same day are not each other's history.
sequenced as (
    select
        plans.*,
        cast(rank() over (partition by la_code, child_key order by plan_start_date) - 1 as integer)
            as previous_plan_count
    from plans
),

joined as (
    select
        sequenced.*,
        reviews.first_review_date
    from sequenced
    left join reviews
        on reviews.la_code = sequenced.la_code
        and reviews.cp_plan_id = sequenced.cp_plan_id
),

final as (
    select
        la_code,
        cp_plan_id,
        child_key,
        icpc_id,
        referral_id,
        plan_start_date,
        plan_end_date,
        initial_category_code,
        latest_category_code,
        -- A temporary plan held for another council (SSD cppl_cp_plan_ola): kept here for the
        -- child's plan history, left out of every plan count, stock and rate.
        coalesce(is_other_la_plan, false) as is_other_la_plan,
        cast({{ dbt.datediff('plan_start_date', 'plan_end_date', 'day') }} as integer) as duration_days,
        plan_end_date <= {{ anniversary('plan_start_date', 3) }} as ended_within_3_months,
        plan_end_date >= {{ anniversary('plan_start_date', 24) }} as lasted_2_years_or_more,
        previous_plan_count,
        recorded_previous_cpp_count,
        (previous_plan_count > 0 or coalesce(recorded_previous_cpp_count, 0) > 0) as is_repeat_plan,
        first_review_date
    from joined
)

select * from final
