with

source as (
    select * from {{ source('landing', 'landing_files') }}
),

renamed as (
    select
        la_code,
        table_name,
        path as file_path,
        format as file_format,
        size_bytes,
        encoding,
        delimiter,
        has_bom,
        columns as columns_present,
        missing_columns,
        missing_required_columns,
        extra_columns,
        problem
    from source
)

select * from renamed
