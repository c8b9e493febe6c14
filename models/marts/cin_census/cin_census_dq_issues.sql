{#
  The data-quality failures `csc check-cin-census` lists for a return: every row of
  marts.dq_issues with the child named by the council's own LAchildID (as in the return:
  stg_ssd__person.la_child_id, null for a child without one) and its person id (where the
  importer recorded the child's line), so the checker only reads rows. Schema cin_census,
  never published: it names children.
#}
with

issues as (
    select la_code, rule_code, severity, message, table_name, record_id, child_key, column_name,
           value_seen, line_number
    from {{ ref('dq_issues') }}
),

people as (
    select la_code, child_key, min(la_child_id) as la_child_id, min(source_person_id) as source_person_id
    from {{ ref('stg_ssd__person') }}
    group by la_code, child_key
)

select
    issues.la_code,
    issues.rule_code,
    issues.severity,
    issues.message,
    issues.table_name,
    issues.record_id,
    issues.child_key,
    people.la_child_id,
    people.source_person_id,
    issues.column_name,
    issues.value_seen,
    issues.line_number
from issues
left join people
    on people.la_code = issues.la_code
    and people.child_key = issues.child_key
