{#
  The raw contract as the models see it: read from the `ssd` source definitions in
  _ssd__sources.yml (the one description of the contract), via dbt's graph.

  dbt records a model's edges while it parses, before the graph (and so the contract's
  columns) is loaded. So the contract's table list, with the tables each one's rows point
  at, is also a project var, `ssd_tables`, that models loop over with ref(): dbt sees every
  edge and no model names its parents by hand. The two statements are held together:
  ssd_check_table_list() stops the build, and csc.contract refuses to load, when they differ.
#}

{# {table: [parent tables]} from var ssd_tables (dbt_project.yml). #}
{% macro ssd_table_parents() -%}
    {{ return(var('ssd_tables')) }}
{%- endmacro %}

{# The contract's table names (var ssd_tables), in contract order. #}
{% macro ssd_tables() -%}
    {{ return(ssd_table_parents().keys() | list) }}
{%- endmacro %}

{# Stops the run when var ssd_tables and the contract's tables or parents differ. #}
{% macro ssd_check_table_list() -%}
    {%- if execute -%}
        {%- set in_contract = {} -%}
        {%- for node in graph.sources.values() if node.source_name == 'ssd' -%}
            {%- set parents = [] -%}
            {%- for c in ssd_contract_columns(node.name) if c.parent -%}
                {%- do parents.append(c.parent.split('.')[0]) -%}
            {%- endfor -%}
            {%- do in_contract.update({node.name: parents | unique | sort}) -%}
        {%- endfor -%}
        {%- set in_var = {} -%}
        {%- for name, parents in ssd_table_parents().items() -%}
            {%- do in_var.update({name: (parents or []) | unique | sort}) -%}
        {%- endfor -%}
        {%- if in_contract != in_var -%}
            {{ exceptions.raise_compiler_error(
                "var ssd_tables (dbt_project.yml) " ~ in_var ~ " differs from the contract's tables and parents "
                ~ "(_ssd__sources.yml) " ~ in_contract ~ ": add the table (and the tables its rows point at) to both") }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{% macro ssd_contract_columns(table_name) -%}
    {%- set columns = [] -%}
    {%- if execute -%}
        {%- set node = graph.sources['source.csc.ssd.' ~ table_name] -%}
        {%- for name, col in node.columns.items() -%}
            {%- set meta = col.meta or (col.config.meta if col.config is defined and col.config else {}) or {} -%}
            {%- do columns.append({
                'name': name,
                'type': meta.get('type', 'text'),
                'required': meta.get('required', false),
                'key': meta.get('key', false),
                'codes': meta.get('codes'),
                'parent': meta.get('parent'),
                'future_ok': meta.get('future_ok', false),
                'flags': meta.get('flags', []),
            }) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(columns) }}
{%- endmacro %}


{#
  A problem's severity in the warehouse, from the contract's one severity model (source meta
  `problems`, which csc validate reads for the door): 'error' = quarantine the row, 'warn' =
  the value reads as unknown (or, `kept`, is used as it is) and is reported. `required`: the column is required (required_column overrides).
#}
{% macro ssd_problem_severity(problem, required=false) -%}
    {%- if not execute -%}{{ return('error') }}{%- endif -%}  {#- the graph is read at execution only -#}
    {%- set ssd = graph.sources.values() | selectattr('source_name', 'equalto', 'ssd') | first -%}
    {%- set spec = ((ssd.source_meta or {}).get('problems') or {}).get(problem) or {} -%}
    {%- set answer = spec.get('required_column', spec.get('warehouse')) if required else spec.get('warehouse') -%}
    {%- if answer == 'quarantine' -%}{{ return('error') }}
    {%- elif answer in ('unknown', 'kept') -%}{{ return('warn') }}
    {%- else -%}{{ exceptions.raise_compiler_error("problem " ~ problem ~ " has no warehouse severity in _ssd__sources.yml meta problems") }}
    {%- endif -%}
{%- endmacro %}


{#
  The row-level checks of one table: [{column, rule, severity, fails, value}], where `fails`
  is a SQL boolean over the base model's columns and `value` the text seen. severity 'error'
  means the row cannot be used (it is quarantined); 'warn' means the value is set to unknown
  and the row is used. Severities are the contract's (ssd_problem_severity). Both the base models (usable or not) and marts.dq_issues (one row per
  problem) are generated from this list, so they cannot disagree.
#}
{% macro ssd_row_checks(table_name) -%}
    {%- set checks = [{
        'column': none, 'rule': 'MALFORMED_ROW', 'severity': ssd_problem_severity('MALFORMED_ROW'),
        'fails': '_parse_error is not null', 'value': '_parse_error',
        'message': 'the line has the wrong number of fields'}] -%}
    {%- for c in ssd_contract_columns(table_name) if c.type != 'pii' -%}
        {%- if c.required -%}
            {%- do checks.append({'column': c.name, 'rule': 'REQUIRED_MISSING', 'severity': ssd_problem_severity('REQUIRED_MISSING'),
                'fails': c.name ~ ' is null', 'value': 'null', 'message': 'required value is blank'}) -%}
        {%- endif -%}
        {%- if c.key -%}
            {%- do checks.append({'column': c.name, 'rule': 'DUPLICATE_KEY', 'severity': ssd_problem_severity('DUPLICATE_KEY'),
                'fails': c.name ~ ' is not null and _key_occurrence > 1', 'value': c.name,
                'message': 'primary key seen on an earlier line; the first occurrence is kept'}) -%}
        {%- endif -%}
        {%- if c.type == 'date' -%}
            {%- do checks.append({'column': c.name, 'rule': 'INVALID_DATE',
                'severity': ssd_problem_severity('INVALID_DATE', c.required),
                'fails': c.name ~ ' is not null and ' ~ ssd_date(c.name) ~ ' is null', 'value': c.name,
                'message': 'not a real date in an accepted form (' ~ (var('date_formats') | map(attribute='example') | join(', ')) ~ ')'}) -%}
        {%- elif c.type == 'flag' -%}
            {%- do checks.append({'column': c.name, 'rule': 'INVALID_FLAG', 'severity': ssd_problem_severity('INVALID_FLAG'),
                'fails': c.name ~ ' is not null and ' ~ ssd_flag(c.name) ~ ' is null', 'value': c.name,
                'message': 'not a yes/no value (not a word of the flag map in seed ref_value_maps); treated as unknown'}) -%}
        {%- elif c.type == 'int' -%}
            {%- do checks.append({'column': c.name, 'rule': 'INVALID_INTEGER', 'severity': ssd_problem_severity('INVALID_INTEGER'),
                'fails': c.name ~ ' is not null and ' ~ ssd_int(c.name) ~ ' is null', 'value': c.name,
                'message': 'not a whole number; treated as unknown'}) -%}
        {%- elif c.type == 'json' -%}
            {%- do checks.append({'column': c.name, 'rule': 'INVALID_JSON', 'severity': ssd_problem_severity('INVALID_JSON'),
                'fails': c.name ~ ' is not null and not ' ~ ssd_json_is_valid(c.name, c.flags | length > 0), 'value': c.name,
                'message': ('not a JSON object' if c.flags else 'not a JSON object or array of strings')
                    ~ '; the values in it are treated as unknown'}) -%}
        {%- endif -%}
        {%- if c.parent -%}
            {%- do checks.append({'column': c.name, 'rule': 'ORPHAN', 'severity': ssd_problem_severity('ORPHAN'),
                'fails': c.name ~ ' is not null and ' ~ ssd_parent_alias(c) ~ '.parent_id is null', 'value': c.name,
                'message': 'points at ' ~ c.parent ~ ' not in the extract (or not usable)'}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(checks) }}
{%- endmacro %}


{% macro ssd_parent_alias(column) -%}
    {{ return('parent_' ~ column.name) }}
{%- endmacro %}


{#
  A base model: every row of a landing table, blank-trimmed text, with the contract's row
  checks evaluated (`_error_count`, `_warning_count`, `_is_usable`) and, where the table has a
  person id column, the row's pseudonymous `_child_key`. Nothing is dropped here:
  stg_ models take the usable rows, marts.dq_issues lists the problems of the rest.
  Names (type pii) are never selected. Parents are ref()'d from var ssd_tables while dbt
  parses (so the edges are seen); the columns that point at them come from the contract.
#}
{% macro ssd_base(table_name) -%}
    {%- do ssd_check_table_list() -%}
    {#- the row checks read the value maps; they are generated at execution, so ref the seed now -#}
    {%- do ssd_value_maps() -%}
    {%- set parent_relations = {} -%}
    {%- for parent_table in ssd_table_parents()[table_name] or [] -%}
        {%- do parent_relations.update({parent_table: ref(parent_table | replace('ssd_', 'base_ssd__', 1))}) -%}
    {%- endfor -%}
    {%- set columns = ssd_contract_columns(table_name) | rejectattr('type', 'equalto', 'pii') | list -%}
    {%- set keys = columns | selectattr('key') | map(attribute='name') | list -%}
    {%- set parents = columns | selectattr('parent') | list -%}
    {%- set checks = ssd_row_checks(table_name) -%}
    {%- set person = dq_person_id_column(table_name) -%}
    {%- set errors = checks | selectattr('severity', 'equalto', 'error') | list -%}
    {%- set warnings = checks | selectattr('severity', 'equalto', 'warn') | list -%}
with

source as (
    select * from {{ source('ssd', table_name) }}
),

cleaned as (
    select
        la_code,
        {%- for c in columns %}
        {{ ssd_clean(c.name) }} as {{ c.name }},
        {%- endfor %}
        _source_file,
        _line_number,
        _parse_error
    from source
),

ranked as (
    select
        *,
        row_number() over (
            partition by la_code{% for k in keys %}, {{ k }}{% endfor %}
            -- a malformed line never takes a key from a well-formed copy of it
            order by case when _parse_error is null then 0 else 1 end, _source_file, _line_number
        ) as _key_occurrence
    from cleaned
),

{%- for p in parents %}
{%- set parent_table, parent_column = p.parent.split('.') %}

{{ ssd_parent_alias(p) }} as (
    select la_code, {{ parent_column }} as parent_id
    from {{ parent_relations[parent_table] }}
    where _is_usable
),
{%- endfor %}

checked as (
    select
        ranked.*,
        {{ ssd_count_true(errors) }} as _error_count,
        {{ ssd_count_true(warnings) }} as _warning_count
    from ranked
    {%- for p in parents %}
    left join {{ ssd_parent_alias(p) }}
        on {{ ssd_parent_alias(p) }}.la_code = ranked.la_code
        and {{ ssd_parent_alias(p) }}.parent_id = ranked.{{ p.name }}
    {%- endfor %}
),

final as (
    select
        *,
        _error_count = 0 as _is_usable
        {%- if person %},
        -- the row's child_key, hashed here once: staging, the data-quality locations and the
        -- issues read it (an HMAC is the costliest expression per row; England has 28 M rows)
        {{ child_key('la_code', person) }} as _child_key
        {%- endif %}
    from checked
)

select * from final
{%- endmacro %}


{% macro ssd_count_true(checks) -%}
    {%- if checks | length == 0 -%}0{%- else -%}
    {%- for check in checks %}
        {% if not loop.first %}+ {% endif %}(case when {{ check.fails }} then 1 else 0 end)
    {%- endfor -%}
    {%- endif -%}
{%- endmacro %}


{# Every (table_name, column_name) of the contract as a select, for availability checks. #}
{% macro ssd_contract_columns_relation() -%}
    {%- set rows = [] -%}
    {%- if execute -%}
        {%- for node in graph.sources.values() if node.source_name == 'ssd' -%}
            {%- for name, col in node.columns.items() if (col.meta or {}).get('type') != 'pii' -%}
                {%- do rows.append("('" ~ node.name ~ "', '" ~ name ~ "')") -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if rows -%}
        {#- One VALUES list, not a union of one-row selects: Spark analyses a 150-branch union slowly. -#}
        select table_name, column_name from (values
        {{ rows | join(',\n        ') }}
        ) as contract_columns (table_name, column_name)  -- noqa: AL05
    {% else -%}
        select cast(null as {{ dbt.type_string() }}) as table_name, cast(null as {{ dbt.type_string() }}) as column_name where 1 = 0
    {%- endif -%}
{%- endmacro %}
