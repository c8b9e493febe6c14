{#
  dq_issues is published: no value_seen may be a raw person id of the council's person file
  (the same check the publication scan in csc.privacy makes of every text column), and no
  ssd_person row may carry a record_id. Returns the offending issues (without the id).
#}
with

person_ids as (
    select distinct la_code, pers_person_id as person_id
    from {{ ref('base_ssd__person') }}
    where pers_person_id is not null
),

issues as (
    select la_code, table_name, line_number, rule_code, column_name, record_id, value_seen
    from {{ ref('dq_issues') }}
),

leaks as (
    select
        issues.la_code,
        issues.table_name,
        issues.line_number,
        issues.rule_code,
        issues.column_name,
        'value_seen is a person id' as problem
    from issues
    inner join person_ids
        on person_ids.la_code = issues.la_code
        and person_ids.person_id = trim(issues.value_seen)
    union all
    select
        la_code,
        table_name,
        line_number,
        rule_code,
        column_name,
        'record_id on a person row' as problem
    from issues
    where table_name = 'ssd_person' and record_id is not null
)

select la_code, table_name, line_number, rule_code, column_name, problem
from leaks
