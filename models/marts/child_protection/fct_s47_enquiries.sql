with

enquiries as (
    select * from {{ ref('stg_ssd__s47_enquiry') }}
),

icpcs as (
    select * from {{ ref('stg_ssd__initial_cp_conference') }}
),

-- An enquiry "led to an ICPC" when a linked conference was held, whenever that was;
-- if more than one is linked, the first held is the one timed.
first_held_icpc as (
    select
        la_code,
        s47_enquiry_id,
        icpc_id,
        icpc_date
    from (
        select
            la_code, s47_enquiry_id, icpc_id, icpc_date,
            row_number() over (partition by la_code, s47_enquiry_id order by icpc_date, icpc_id) as held_order
        from icpcs
        where s47_enquiry_id is not null and icpc_date is not null
    ) as ordered
    where held_order = 1
),

calendar as (
    select date_day, working_day_number from {{ ref('dim_date') }}
),

joined as (
    select
        enquiries.*,
        first_held_icpc.icpc_id,
        first_held_icpc.icpc_date,
        cast({{ working_days_between('d_start', 'd_icpc') }} as integer) as working_days_to_icpc
    from enquiries
    left join first_held_icpc
        on first_held_icpc.la_code = enquiries.la_code
        and first_held_icpc.s47_enquiry_id = enquiries.s47_enquiry_id
    left join calendar as d_start on d_start.date_day = enquiries.s47_start_date
    left join calendar as d_icpc on d_icpc.date_day = first_held_icpc.icpc_date
),

final as (
    select
        la_code,
        s47_enquiry_id,
        referral_id,
        child_key,
        s47_start_date,
        s47_end_date,
        coalesce(is_nfa, false) as is_nfa,
        icpc_id is not null as led_to_icpc,
        icpc_id,
        icpc_date,
        working_days_to_icpc
    from joined
)

select * from final
