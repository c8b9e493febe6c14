with

factor_records as (
    select * from {{ ref('stg_ssd__assessment_factors') }}
),

exploded as (
    select
        la_code,
        assessment_id,
        {{ csc_unnest('factor_codes') }} as factor_code
    from factor_records
),

final as (
    select distinct
        la_code,
        assessment_id,
        factor_code
    from exploded
    where factor_code is not null and factor_code <> ''
)

select * from final
