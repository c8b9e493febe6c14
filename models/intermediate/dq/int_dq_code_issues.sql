{#
  Part B of marts.dq_issues: values of code columns (contract meta `codes`) that are not in
  their code list: a CIN census list of seed ref_cin_codes, or an inline list in the
  contract. Warnings: staging keeps the row and the code reads as unknown in the facts.
#}
-- depends_on: {{ ref('base_ssd__person') }}
-- depends_on: {{ ref('base_ssd__disability') }}
-- depends_on: {{ ref('base_ssd__contacts') }}
-- depends_on: {{ ref('base_ssd__early_help_episodes') }}
-- depends_on: {{ ref('base_ssd__cin_episodes') }}
-- depends_on: {{ ref('base_ssd__cin_assessments') }}
-- depends_on: {{ ref('base_ssd__assessment_factors') }}
-- depends_on: {{ ref('base_ssd__cin_plans') }}
-- depends_on: {{ ref('base_ssd__s47_enquiry') }}
-- depends_on: {{ ref('base_ssd__initial_cp_conference') }}
-- depends_on: {{ ref('base_ssd__cp_plans') }}
-- depends_on: {{ ref('base_ssd__cp_reviews') }}

with

code_lists as (
    select distinct
        code_list,
        upper(code) as code
    from {{ ref('ref_cin_codes') }}
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
