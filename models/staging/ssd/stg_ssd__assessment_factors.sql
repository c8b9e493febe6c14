with

base as (
    select * from {{ ref('base_ssd__assessment_factors') }}
    where _is_usable
),

-- the object layout {"2B":"Yes"} counts a factor when its value is a yes word
yes_words as (
    {{ ssd_flag_words(true) }}
),

renamed as (
    select
        la_code,
        cinf_table_id as assessment_factors_record_id,
        cinf_assessment_id as assessment_id,
        {{ csc_json_factor_codes('cinf_assessment_factors_json', 'yes_words.words') }} as factor_codes
    from base
    cross join yes_words
)

select * from renamed
