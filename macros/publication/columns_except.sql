{#
  The columns of a relation as a select list, in order, with some replaced by expressions:
  columns_except(ref('kpi_values'), 'kv', {'value': 'null'}) -> kv.la_code, ..., null as value, ...
  Publication models list their source's columns this way, so a column added to a mart is
  published without editing them (and without select *).
#}
{% macro columns_except(relation, alias, replace={}, drop=[]) -%}
    {%- set names = [] -%}
    {%- for column in adapter.get_columns_in_relation(relation) if column.name not in drop -%}
        {%- if column.name in replace -%}
            {%- do names.append(replace[column.name] ~ ' as ' ~ adapter.quote(column.name)) -%}
        {%- else -%}
            {%- do names.append(alias ~ '.' ~ adapter.quote(column.name)) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if names -%}
        {{ names | join(',\n    ') }}
    {%- else -%}
        {#- The relation is not built yet (parsing, compiling, linting): the same columns in
            DuckDB's own words, never the source's unreplaced values. -#}
        {{ alias }}.*{% if drop %} exclude ({{ drop | join(', ') }}){% endif %}
        {%- if replace %} replace ({% for name, expr in replace.items() %}{{ expr }} as {{ name }}{% if not loop.last %}, {% endif %}{% endfor %}){% endif %}
    {%- endif -%}
{%- endmacro %}
