{#
  Pseudonymous key: a keyed SHA-256 of la_code and the source person id. The key is put into
  the DuckDB session variable csc_pseudonym_key by the csc_landing plugin from
  CSC_PSEUDONYM_KEY, so it never appears in compiled SQL, logs or target/.
#}
{% macro child_key(la_code, person_id) -%}
    {{ return(adapter.dispatch('child_key', 'csc')(la_code, person_id)) }}
{%- endmacro %}

{% macro duckdb__child_key(la_code, person_id) -%}
    case when {{ person_id }} is not null
         then left(sha256(getvariable('csc_pseudonym_key') || chr(31) || {{ la_code }} || chr(31) || trim({{ person_id }})), 32) end
{%- endmacro %}

{# Spark: the key is the session variable declared by csc.spark (bound as a parameter). #}
{% macro spark__child_key(la_code, person_id) -%}
    case when {{ person_id }} is not null
         then left(sha2(concat(session.csc_pseudonym_key, chr(31), {{ la_code }}, chr(31), trim({{ person_id }})), 256), 32) end
{%- endmacro %}
