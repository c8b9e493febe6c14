{#
  Warehouse rule END_BEFORE_START for the tables no DfE rule covers (DfE's own: 8630 CIN
  episodes, 8608 assessments, 8925 CP plans, in int_dq_dfe_date_order): an end date before
  the start date. value_seen is the end date.
#}
with

early_help as (select * from {{ ref('stg_ssd__early_help_episodes') }}),
cin_plans as (select * from {{ ref('stg_ssd__cin_plans') }}),
enquiries as (select * from {{ ref('stg_ssd__s47_enquiry') }}),

ends_before_starts as (
    select la_code, 'ssd_early_help_episodes' as table_name, early_help_episode_id as record_id,
        'earl_episode_end_date' as column_name, episode_end_date as end_date
    from early_help
    where episode_end_date < episode_start_date
    union all
    select la_code, 'ssd_cin_plans', cin_plan_id, 'cinp_cin_plan_end_date', plan_end_date
    from cin_plans
    where plan_end_date < plan_start_date
    union all
    select la_code, 'ssd_s47_enquiry', s47_enquiry_id, 's47e_s47_end_date', s47_end_date
    from enquiries
    where s47_end_date < s47_start_date
),

final as (
    select
        la_code,
        table_name,
        record_id,
        column_name,
        'END_BEFORE_START' as rule_code,
        'the end date is before the start date' as message,
        cast(end_date as {{ dbt.type_string() }}) as value_seen
    from ends_before_starts
)

select * from final
