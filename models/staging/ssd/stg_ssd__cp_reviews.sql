with

base as (
    select * from {{ ref('base_ssd__cp_reviews') }}
    where _is_usable
),

renamed as (
    select
        la_code,
        cppr_cp_review_id as cp_review_id,
        cppr_cp_plan_id as cp_plan_id,
        _child_key as child_key,
        {{ ssd_date('cppr_cp_review_due') }} as review_due_date,
        {{ ssd_date('cppr_cp_review_date') }} as review_date
    from base
)

select * from renamed
