{#
  Small-number suppression, the pieces every publication model shares. The threshold is the
  dbt var disclosure_max_small_count (5: counts 1 to 5 are suppressed; 0 is not).
#}

{% macro is_small_count(expr) -%}
    coalesce({{ expr }} between 1 and {{ var('disclosure_max_small_count') }}, false)
{%- endmacro %}

{#- A number as report text: counts whole, other values to one decimal place; 'c' when suppressed. -#}
{% macro display_text(expr, suppressed='false', decimals=0) -%}
    cast(case
        when {{ suppressed }} then 'c'
        when {{ expr }} is null then null
        {%- if decimals == 0 %}
        else cast(cast(round({{ expr }}, 0) as bigint) as {{ dbt.type_string() }})
        {%- else %}
        else cast(cast(round({{ expr }}, {{ decimals }}) as decimal(38, {{ decimals }})) as {{ dbt.type_string() }})
        {%- endif %}
    end as {{ dbt.type_string() }})
{%- endmacro %}

{#- Text with the data-quality counts taken out (they add up across KPIs and tables, so a
    published total could be differenced into a small count): '12 rows quarantined, 1 DfE rule
    failure in the inputs' -> 'rows quarantined and DfE rule failures in the inputs'. -#}
{% macro without_dq_counts(expr) -%}
    {{ return(adapter.dispatch('without_dq_counts', 'csc')(expr)) }}
{%- endmacro %}

{#- Spark: regexp_replace replaces every match. -#}
{% macro spark__without_dq_counts(expr) -%}
    regexp_replace({{ expr }}, '[0-9]+ rows? quarantined, [0-9]+ DfE rule failures? in the inputs',
        'rows quarantined or DfE rule failures in the inputs (counts in dq_summary)')
{%- endmacro %}

{% macro duckdb__without_dq_counts(expr) -%}
    regexp_replace({{ expr }}, '[0-9]+ rows? quarantined, [0-9]+ DfE rule failures? in the inputs',
        'rows quarantined or DfE rule failures in the inputs (counts in dq_summary)', 'g')
{%- endmacro %}
