with

source as (
    select * from {{ source('landing', 'reporting_dates') }}
),

renamed as (
    select
        la_code,
        cast(latest_event_date as date) as latest_event_date,
        cast(reporting_date as date) as reporting_date,
        cast(date_ceiling as date) as date_ceiling,
        reporting_date_source
    from source
)

select * from renamed
