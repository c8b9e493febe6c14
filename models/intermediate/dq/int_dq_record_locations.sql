{#
  File and line of every usable row of each event table, by (la_code, table_name,
  record_id), with the row's child_key. Rules written against the typed staging models and
  facts (which carry record ids, not lines) are joined to this to point at the landing line.
  ssd_person's rows are here too, by child_key (a person id is never a record_id): the DfE
  rules on a child with no episode to point at (8500, 8510, 8590) place their failure there.
#}

with

event_locations as (
    {{ dq_record_locations() }}
),

-- a person's row is found by its child_key (hashed in the base model): a person id is never a record_id
person_locations as (
    select
        base.la_code,
        'ssd_person' as table_name,
        base._source_file as source_file,
        base._line_number as line_number,
        base._child_key as record_id,
        base._child_key as child_key,
        'pers_person_id' as person_id_column
    from {{ ref('base_ssd__person') }} as base
    where base._is_usable
),

record_locations as (
    select la_code, table_name, record_id, child_key, person_id_column, source_file, line_number
    from event_locations
    union all
    select la_code, table_name, record_id, child_key, person_id_column, source_file, line_number
    from person_locations
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
