{#
  on-run-start: a dbt run outside `csc build` changes tables that the build file's record
  (main.csc_build, written by csc.build_record) describes, so a finished record is marked
  superseded and `csc publish --skip-build` refuses the file. `csc build` writes its record
  with status 'started' before dbt starts, which this leaves alone.
#}
{% macro csc_build_superseded() %}
    {%- if target.type == 'duckdb' -%}
        {%- set record = adapter.get_relation(database=target.database, schema='main', identifier='csc_build') -%}
        {%- if record is not none -%}
            update {{ record }} set status = 'superseded', reason = 'dbt ran outside csc build after this build finished' where status <> 'started'; commit
        {%- else -%}
            select 1
        {%- endif -%}
    {%- else -%}
        select 1
    {%- endif -%}
{% endmacro %}
