with

icpcs as (
    select * from {{ ref('stg_ssd__initial_cp_conference') }}
),

enquiries as (
    select la_code, s47_enquiry_id, s47_start_date from {{ ref('stg_ssd__s47_enquiry') }}
),

plans_from_icpc as (
    select distinct la_code, icpc_id from {{ ref('stg_ssd__cp_plans') }}
    where icpc_id is not null
),

calendar as (
    select date_day, working_day_number from {{ ref('dim_date') }}
),

joined as (
    select
        icpcs.*,
        enquiries.s47_start_date,
        cast({{ working_days_between('d_start', 'd_icpc') }} as integer) as working_days_from_s47,
        plans_from_icpc.icpc_id is not null as has_plan_linked
    from icpcs
    left join enquiries
        on enquiries.la_code = icpcs.la_code
        and enquiries.s47_enquiry_id = icpcs.s47_enquiry_id
    left join plans_from_icpc
        on plans_from_icpc.la_code = icpcs.la_code
        and plans_from_icpc.icpc_id = icpcs.icpc_id
    left join calendar as d_start on d_start.date_day = enquiries.s47_start_date
    left join calendar as d_icpc on d_icpc.date_day = icpcs.icpc_date
),

final as (
    select
        la_code,
        icpc_id,
        s47_enquiry_id,
        child_key,
        icpc_date,
        is_transfer_in,
        s47_start_date,
        working_days_from_s47,
        -- Timeliness is measured only where it means something: a held conference with its own
        -- S47 enquiry, not a transfer-in, not dated before the enquiry began.
        (
            icpc_date is not null
            and not is_transfer_in
            and s47_start_date is not null
            and icpc_date >= s47_start_date
        ) as counts_for_timeliness,
        working_days_from_s47 <= 15 as is_within_15wd,
        -- The conferences DfE's published count holds (docs: dfe_icpc_count): those recorded in
        -- the council's own S47 record, never a transfer-in (an episode-level conference).
        (
            icpc_date is not null
            and not is_transfer_in
            and s47_start_date is not null
        ) as counts_for_dfe,
        -- DfE's C4 bands time every counted conference from its S47 start: 0 to 15 working
        -- days is on time; a conference dated before its S47 falls in no band, so is not.
        coalesce(working_days_from_s47 between 0 and 15, false) as is_within_15wd_dfe,
        (coalesce(outcome_cp_plan, false) or cp_plan_id is not null or has_plan_linked) as led_to_plan,
        cp_plan_id
    from joined
)

select * from final
