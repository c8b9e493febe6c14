{#-
  dbt's `view` materialization on DuckDB only (Spark builds with dbt's own): one `create or
  replace view` in dbt's transaction, instead of dbt's create `<name>__dbt_tmp`, rename the old
  view to `<name>__dbt_backup`, rename the new one, commit and drop the backup (the same dance
  as the table materialization, and the same saving: macros/materializations/table.sql).

  A view that fails to create is rolled back and the previous view of that name stays; a table
  of the same name is dropped in the same transaction (csc_drop_in_transaction); hooks, grants
  and persist_docs as in dbt's; the relation returned keeps dbt's relation cache right
  (scripts/tests/test_materializations.py).
-#}
{% materialization view, adapter='duckdb' %}
  {%- set existing_relation = load_cached_relation(this) -%}
  {%- set target_relation = this.incorporate(type='view') -%}
  {%- set grant_config = config.get('grants') -%}

  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  -- `begin` happens here (or with the first statement below)
  {{ run_hooks(pre_hooks, inside_transaction=True) }}

  {%- if existing_relation is not none and not existing_relation.is_view %}
    {%- do csc_drop_in_transaction(existing_relation) -%}
  {%- endif %}

  {% call statement('main') -%}
    {{ csc_create_or_replace_view_as(target_relation, compiled_code) }}
  {%- endcall %}

  {%- set should_revoke = should_revoke(existing_relation, full_refresh_mode=True) -%}
  {%- do apply_grants(target_relation, grant_config, should_revoke=should_revoke) -%}
  {%- do persist_docs(target_relation, model) -%}
  {{ run_hooks(post_hooks, inside_transaction=True) }}

  {{ adapter.commit() }}
  {{ run_hooks(post_hooks, inside_transaction=False) }}

  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}


{#- dbt-duckdb's duckdb__create_view_as with `or replace`. -#}
{% macro csc_create_or_replace_view_as(relation, compiled_code) -%}
  {%- if config.get('contract').enforced -%}
    {{ get_assert_columns_equivalent(compiled_code) }}
  {%- endif -%}
  {%- set sql_header = config.get('sql_header', none) -%}
  {{ sql_header if sql_header is not none }}
  create or replace view {{ relation }} as (
    {{ compiled_code }}
  );
{%- endmacro %}
