with

base as (
    select * from {{ ref('base_ssd__disability') }}
    where _is_usable
),

renamed as (
    select
        la_code,
        disa_table_id as disability_record_id,
        _child_key as child_key,
        upper(disa_disability_code) as disability_code
    from base
)

select * from renamed
