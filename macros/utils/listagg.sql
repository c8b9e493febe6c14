{#
  dbt's listagg on Spark ignores its `order by` (collect_list has no order), so on Spark the
  project overrides it: the values are collected with their sort keys, sorted, then joined.
  The order is DuckDB's: ascending, nulls last (a null key sorts after every value, as
  `k is null` is false before true). Only ascending keys are accepted, loudly otherwise.
  DuckDB keeps dbt-duckdb's own listagg (string_agg ... order by).
#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- if limit_num -%}
        {{ exceptions.raise_compiler_error("listagg: limit_num is not used by this project") }}
    {%- endif -%}
    {%- if not order_by_clause -%}
        array_join(collect_list({{ measure }}), {{ delimiter_text }})
    {%- else -%}
        {%- set keys = order_by_clause | trim | replace('order by ', '', 1) | replace('ORDER BY ', '', 1) -%}
        {%- set fields = [] -%}
        {%- for key in keys.split(',') -%}
            {%- set key = key | trim -%}
            {%- if key.lower().endswith(' desc') or key.lower().endswith(' asc') or ' nulls ' in key.lower() -%}
                {{ exceptions.raise_compiler_error("listagg on Spark: only plain ascending keys, got '" ~ key ~ "'") }}
            {%- endif -%}
            {%- do fields.append('(' ~ key ~ ') is null') -%}
            {%- do fields.append(key) -%}
        {%- endfor -%}
        array_join(
            transform(
                array_sort(collect_list(
                    case when ({{ measure }}) is not null
                         then named_struct(
                            {%- for f in fields %} 'k{{ loop.index }}', {{ f }},{% endfor %}
                            'v', {{ measure }}) end)),
                s -> s.v),
            {{ delimiter_text }})
    {%- endif -%}
{%- endmacro %}
