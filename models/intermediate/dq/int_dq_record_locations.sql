{#
  File and line of every usable row of each event table, by (la_code, table_name,
  record_id), with the row's child_key. Rules written against the typed staging models and
  facts (which carry record ids, not lines) are joined to this to point at the landing line.
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

record_locations as (
    {{ dq_record_locations() }}
)

select
    la_code,
    table_name,
    record_id,
    child_key,
    person_id_column,
    source_file,
    line_number
from record_locations
