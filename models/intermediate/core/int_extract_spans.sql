{#
  Per council: the first day the extract is complete from and the reporting date. Periods,
  caveats and month-end stocks all hang off these two dates.
#}
with

contacts as (
    select la_code, contact_date as event_date, 'contact' as event_kind
    from {{ ref('stg_ssd__contacts') }}
),

referrals as (
    select la_code, referral_date as event_date, 'referral' as event_kind
    from {{ ref('stg_ssd__cin_episodes') }}
),

assessments as (
    select la_code, assessment_auth_date as event_date, 'other' as event_kind
    from {{ ref('stg_ssd__cin_assessments') }}
),

s47_enquiries as (
    select la_code, s47_start_date as event_date, 'other' as event_kind
    from {{ ref('stg_ssd__s47_enquiry') }}
),

icpcs as (
    select la_code, icpc_date as event_date, 'other' as event_kind
    from {{ ref('stg_ssd__initial_cp_conference') }}
),

cp_plans as (
    select la_code, plan_start_date as event_date, 'other' as event_kind
    from {{ ref('stg_ssd__cp_plans') }}
),

event_dates as (
    select * from contacts
    union all select * from referrals
    union all select * from assessments
    union all select * from s47_enquiries
    union all select * from icpcs
    union all select * from cp_plans
),

-- A typo such as 2099 must not move the reporting date: only dates up to today count.
plausible_event_dates as (
    select *
    from event_dates
    where event_date between cast('1990-01-01' as date) and current_date
),

spans as (
    select
        la_code,
        coalesce(
            min(case when event_kind = 'contact' then event_date end),
            min(case when event_kind = 'referral' then event_date end)
        ) as first_event_date,
        max(event_date) as latest_event_date
    from plausible_event_dates
    group by la_code
),

final as (
    select
        la_code,
        {% if var('extract_start') %}cast('{{ var("extract_start") }}' as date){% else %}first_event_date{% endif %} as extract_start_date,
        {% if var('reporting_date') %}cast('{{ var("reporting_date") }}' as date){% else %}latest_event_date{% endif %} as reporting_date
    from spans
)

select * from final
