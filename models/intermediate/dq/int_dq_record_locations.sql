{#
  File and line of every usable row of each event table, by (la_code, table_name,
  record_id), with the row's child_key. Rules written against the typed staging models and
  facts (which carry record ids, not lines) are joined to this to point at the landing line.
#}

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
