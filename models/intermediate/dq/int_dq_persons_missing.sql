{#
  Warehouse rule PERSON_MISSING: a usable event row whose person id is not a usable
  ssd_person row, so the child's sex, age and ethnicity are unknown for it. Every event
  table with a person id is checked, from the one list of row locations
  (int_dq_record_locations). A person id is never shown: value_seen is null.
#}
with

record_locations as (
    select la_code, table_name, record_id, child_key, person_id_column
    from {{ ref('int_dq_record_locations') }}
),

people as (select la_code, child_key from {{ ref('stg_ssd__person') }}),

-- The same child key in another council is another child: match on the council too.
final as (
    select
        record_locations.la_code,
        record_locations.table_name,
        record_locations.record_id,
        record_locations.person_id_column as column_name,
        'PERSON_MISSING' as rule_code,
        'the child is not in ssd_person (or the person row is quarantined): sex, age and ethnicity are unknown for this record' as message,
        cast(null as {{ dbt.type_string() }}) as value_seen
    from record_locations
    left join people
        on people.la_code = record_locations.la_code
        and people.child_key = record_locations.child_key
    where record_locations.child_key is not null
      and people.child_key is null
)

select * from final
