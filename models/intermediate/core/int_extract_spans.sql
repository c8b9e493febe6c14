{#
  Per council: the first day the extract is complete from and the reporting date. Periods,
  caveats and month-end stocks all hang off these two dates. The reporting date is decided by
  csc.reporting_date (the one implementation of the rule, which csc validate also calls: the
  last complete month end covered by the extract), read through the landing plugin.
#}
with

reporting_dates as (
    select la_code, reporting_date from {{ ref('stg_landing__reporting_dates') }}
),

contacts as (
    select la_code, contact_date as event_date, 'contact' as event_kind
    from {{ ref('stg_ssd__contacts') }}
),

referrals as (
    select la_code, referral_date as event_date, 'referral' as event_kind
    from {{ ref('stg_ssd__cin_episodes') }}
),

first_event_dates as (
    select * from contacts
    union all select * from referrals
),

-- A typo such as 1900 must not move the extract start: only plausible dates count.
plausible_first_event_dates as (
    select *
    from first_event_dates
    where event_date between cast('{{ var("earliest_plausible_date") }}' as date) and current_date
),

starts as (
    select
        la_code,
        coalesce(
            min(case when event_kind = 'contact' then event_date end),
            min(case when event_kind = 'referral' then event_date end)
        ) as first_event_date
    from plausible_first_event_dates
    group by la_code
),

final as (
    select
        starts.la_code,
        {% if var('extract_start') %}cast('{{ var("extract_start") }}' as date){% else %}starts.first_event_date{% endif %} as extract_start_date,
        {% if var('reporting_date') %}cast('{{ var("reporting_date") }}' as date){% else %}cast(reporting_dates.reporting_date as date){% endif %} as reporting_date
    from starts
    inner join reporting_dates on reporting_dates.la_code = starts.la_code
    {%- if not var('reporting_date') %}
    where reporting_dates.reporting_date is not null
    {%- endif %}
)

select * from final
