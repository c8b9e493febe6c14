with

base as (
    select * from {{ ref('base_ssd__assessment_factors') }}
    where _is_usable
),

renamed as (
    select
        la_code,
        cinf_table_id as assessment_factors_record_id,
        cinf_assessment_id as assessment_id,
        {{ csc_json_factor_codes('cinf_assessment_factors_json') }} as factor_codes
    from base
)

select * from renamed
