{#
  Part B of marts.dq_issues: values of code columns (contract meta `codes`) that are not in
  their code list: a CIN census list of seed ref_cin_codes, or an inline list in the
  contract. Warnings: staging keeps the row and the code reads as unknown in the facts.
#}

with

code_lists as (
    select distinct
        code_list,
        upper(code) as code
    from {{ ref('ref_cin_codes') }}
),

value_maps as (
    select value_map, value
    from {{ ref('ref_value_maps') }}
),

code_issues as (
    {{ dq_code_issues() }}
)

select
    la_code,
    table_name,
    source_file,
    line_number,
    record_id,
    child_key,
    column_name,
    rule_code,
    severity,
    message,
    value_seen,
    rule_source
from code_issues
