with

base as (
    select * from {{ ref('base_ssd__cp_plans') }}
    where _is_usable
),

renamed as (
    select
        la_code,
        cppl_cp_plan_id as cp_plan_id,
        cppl_referral_id as referral_id,
        cppl_icpc_id as icpc_id,
        _child_key as child_key,
        {{ ssd_date('cppl_cp_plan_start_date') }} as plan_start_date,
        {{ ssd_date('cppl_cp_plan_end_date') }} as plan_end_date,
        {{ ssd_cp_category('cppl_cp_plan_initial_category') }} as initial_category_code,
        {{ ssd_cp_category('cppl_cp_plan_latest_category') }} as latest_category_code,
        -- As written, for the DfE rules on a census return's categories (int_dq_dfe_census_values,
        -- int_dq_dfe_codes: DfE compares case).
        {{ ssd_clean('cppl_cp_plan_initial_category') }} as initial_category_as_given,
        {{ ssd_clean('cppl_cp_plan_latest_category') }} as latest_category_as_given,
        {{ ssd_flag('cppl_cp_plan_ola') }} as is_other_la_plan,
        {{ ssd_int('cppl_number_of_previous_cpp') }} as recorded_previous_cpp_count
    from base
)

select * from renamed
