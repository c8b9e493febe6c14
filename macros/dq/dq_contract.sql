{#
  Data-quality helpers over the raw contract (_ssd__sources.yml), so marts.dq_issues lists
  exactly the checks the base models count (ssd_row_checks) and needs no edit when a column
  is added to the contract. The generators below loop over the static table list (var
  `ssd_tables`) and call ref() for every table while dbt parses, so dbt sees every edge; the
  columns and checks come from the contract at execution.
#}

{# The contract's table names, sorted: the static list (var ssd_tables), known while dbt parses. #}
{% macro dq_contract_tables() -%}
    {{ return(ssd_tables() | sort) }}
{%- endmacro %}


{# base_ssd__<table> / stg_ssd__<table>, named as ssd_base names its parents. #}
{% macro dq_model_name(prefix, table_name) -%}
    {{ return(prefix ~ '_' ~ table_name | replace('ssd_', 'ssd__', 1)) }}
{%- endmacro %}


{# The table's primary-key column (the contract has one per table). #}
{% macro dq_key_column(table_name) -%}
    {%- set keys = ssd_contract_columns(table_name) | selectattr('key') | map(attribute='name') | list -%}
    {{ return(keys[0] if keys else none) }}
{%- endmacro %}


{# The column holding the source person id (an id column named *_person_id), or none. #}
{% macro dq_person_id_column(table_name) -%}
    {%- for c in ssd_contract_columns(table_name) if c.type == 'id' and c.name.endswith('_person_id') -%}
        {{ return(c.name) }}
    {%- endfor -%}
    {{ return(none) }}
{%- endmacro %}


{#
  Whether a column's text may be shown in dq_issues.value_seen. Never: id columns (a person
  id, or a record id that could equal a person id and be mistaken for one; the row's own key
  is in record_id anyway), names (pii), and the person table's dates (date of birth and of
  death identify a child). A check on no column (MALFORMED_ROW) shows the parse message.
#}
{% macro dq_value_is_publishable(table_name, column_name) -%}
    {%- if column_name is none -%}{{ return(true) }}{%- endif -%}
    {%- set matches = ssd_contract_columns(table_name) | selectattr('name', 'equalto', column_name) | list -%}
    {%- set type = matches[0].type if matches else 'text' -%}
    {%- if type in ('id', 'pii') -%}{{ return(false) }}{%- endif -%}
    {%- if table_name == 'ssd_person' and type == 'date' -%}{{ return(false) }}{%- endif -%}
    {{ return(true) }}
{%- endmacro %}


{#
  A value to show, unless the line is malformed: its fields may have shifted, so the text in
  a column may belong to another (even the person id); only the parse message is shown then.
#}
{% macro dq_unless_malformed(base_alias, value) -%}
    {{ return('case when ' ~ base_alias ~ '._parse_error is null then ' ~ value ~ ' end') }}
{%- endmacro %}


{# A SQL string literal. #}
{% macro dq_literal(text) -%}
    {%- if text is none -%}cast(null as {{ dbt.type_string() }}){%- else -%}'{{ text | string | replace("'", "''") }}'{%- endif -%}
{%- endmacro %}


{#
  The columns every issue row carries, in dq_issues order, from one row of a base model
  (alias `base_alias`): where the row is, which row (never a person id: the person table's
  own key is left null) and whose (child_key, pseudonymous). On a malformed line the fields
  may have shifted, so what stands in the key or person id column may be anything (even a
  person id): both are left null there, and the line number finds the row.
#}
{% macro dq_base_row_location(table_name, base_alias) -%}
    {%- set key = dq_key_column(table_name) -%}
    {%- set person = dq_person_id_column(table_name) -%}
        {{ base_alias }}.la_code as la_code,
        {{ dq_literal(table_name) }} as table_name,
        {{ base_alias }}._source_file as source_file,
        {{ base_alias }}._line_number as line_number,
        {% if key and table_name != 'ssd_person' -%}
        case when {{ base_alias }}._parse_error is null
            then cast({{ base_alias }}.{{ key }} as {{ dbt.type_string() }}) end
        {%- else -%}
        cast(null as {{ dbt.type_string() }})
        {%- endif %} as record_id,
        {% if person -%}
        case when {{ base_alias }}._parse_error is null then {{ base_alias }}._child_key end
        {%- else -%}
        cast(null as {{ dbt.type_string() }})
        {%- endif %} as child_key
{%- endmacro %}


{# An empty relation with dq_issues' columns and types (when there is nothing to union). #}
{% macro dq_empty_issues() -%}
    select
        cast(null as {{ dbt.type_string() }}) as la_code,
        cast(null as {{ dbt.type_string() }}) as table_name,
        cast(null as {{ dbt.type_string() }}) as source_file,
        cast(null as bigint) as line_number,
        cast(null as {{ dbt.type_string() }}) as record_id,
        cast(null as {{ dbt.type_string() }}) as child_key,
        cast(null as {{ dbt.type_string() }}) as column_name,
        cast(null as {{ dbt.type_string() }}) as rule_code,
        cast(null as {{ dbt.type_string() }}) as severity,
        cast(null as {{ dbt.type_string() }}) as message,
        cast(null as {{ dbt.type_string() }}) as value_seen,
        cast(null as {{ dbt.type_string() }}) as rule_source
    where 1 = 0
{%- endmacro %}


{#
  Part A: one select per (table, row check) of ssd_row_checks, unioned. Only rows the base
  model already counted a problem on are read (_error_count + _warning_count > 0), so the
  scan of each check is over a handful of rows. ORPHAN checks name their parent by the alias
  ssd_base uses, so the same join is made here and the check's SQL is used unchanged.
#}
{% macro dq_contract_issues() -%}
    {#- the checks read the value maps and are generated at execution: ref the seed while parsing -#}
    {%- do ssd_value_maps() -%}
    {%- set branches = [] -%}
    {%- for table_name in dq_contract_tables() -%}
        {#- ref() here, outside the checks (known only at execution), so dbt sees the edge while parsing -#}
        {%- set base_relation = ref(dq_model_name('base', table_name)) -%}
        {%- set columns = ssd_contract_columns(table_name) -%}
        {%- for check in ssd_row_checks(table_name) -%}
            {%- set column = (columns | selectattr('name', 'equalto', check.column) | list | first) if check.column else none -%}
            {%- set value = check.value if dq_value_is_publishable(table_name, check.column) else 'null' -%}
            {%- if check.rule != 'MALFORMED_ROW' -%}
                {%- set value = dq_unless_malformed('flagged', value) -%}
            {%- endif -%}
            {%- set branch -%}
    select
        {{ dq_base_row_location(table_name, 'flagged') }},
        {{ dq_literal(check.column) }} as column_name,
        {{ dq_literal(check.rule) }} as rule_code,
        {{ dq_literal(check.severity) }} as severity,
        {{ dq_literal(check.message) }} as message,
        cast({{ value }} as {{ dbt.type_string() }}) as value_seen,
        'contract' as rule_source
    from {{ base_relation }} as flagged
    {%- if column and column.parent %}
    {%- set parent_table, parent_column = column.parent.split('.') %}
    left join (
        select la_code, {{ parent_column }} as parent_id
        from {{ ref(dq_model_name('base', parent_table)) }}
        where _is_usable
    ) as {{ ssd_parent_alias(column) }}
        on {{ ssd_parent_alias(column) }}.la_code = flagged.la_code
        and {{ ssd_parent_alias(column) }}.parent_id = flagged.{{ column.name }}
    {%- endif %}
    where flagged._error_count + flagged._warning_count > 0
      and ({{ check.fails }})
            {%- endset -%}
            {%- do branches.append(branch) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- if branches -%}
        {{ branches | join('\n    union all\n') }}
    {%- else -%}
        {{ dq_empty_issues() }}
    {%- endif -%}
{%- endmacro %}


{#
  Part B: code columns (meta `codes`) whose value is not in their list. A named list is a
  code_list of seed ref_cin_codes (CTE `code_lists` (code_list, code), compared in upper case)
  or a value of the value map of the same name (CTE `value_maps`, seed ref_value_maps, the map
  staging types categories of abuse and sex with), both defined by the calling model, so
  "accepted here" and "typed in staging" cannot disagree; an inline list is compared directly.
  Every landing row is checked, usable or not: the value is wrong either way.
#}
{% macro dq_code_issues() -%}
    {%- set branches = [] -%}
    {%- for table_name in dq_contract_tables() -%}
        {%- set base_relation = ref(dq_model_name('base', table_name)) -%}
        {%- for c in ssd_contract_columns(table_name) if c.codes -%}
            {%- set value = 'base.' ~ c.name -%}
            {%- if c.codes is string -%}
                {%- set fails = 'listed.code is null and mapped.value is null' -%}
                {%- set join = 'left join code_lists as listed on listed.code_list = ' ~ dq_literal(c.codes) ~ ' and listed.code = upper(' ~ value ~ ')'
                    ~ '\n    left join value_maps as mapped on mapped.value_map = ' ~ dq_literal(c.codes) ~ ' and mapped.value = lower(trim(' ~ value ~ '))' -%}
                {%- set message = 'not a code of the CIN census list ' ~ c.codes ~ ' (seed ref_cin_codes) nor a word seed ref_value_maps reads as one; treated as unknown' -%}
            {%- else -%}
                {%- set quoted = [] -%}
                {%- for code in c.codes -%}{%- do quoted.append(dq_literal(code | string | upper)) -%}{%- endfor -%}
                {%- set fails = 'upper(' ~ value ~ ') not in (' ~ (quoted | join(', ')) ~ ')' -%}
                {%- set join = '' -%}
                {%- set message = 'not one of the codes the contract allows: ' ~ (c.codes | map('string') | join(', ')) -%}
            {%- endif -%}
            {%- set branch -%}
    select
        {{ dq_base_row_location(table_name, 'base') }},
        {{ dq_literal(c.name) }} as column_name,
        'UNKNOWN_CODE' as rule_code,
        'warn' as severity,
        {{ dq_literal(message) }} as message,
        cast({{ dq_unless_malformed('base', value) if dq_value_is_publishable(table_name, c.name) else 'null' }} as {{ dbt.type_string() }}) as value_seen,
        'contract' as rule_source
    from {{ base_relation }} as base
    {{ join }}
    where {{ value }} is not null
      and {{ fails }}
            {%- endset -%}
            {%- do branches.append(branch) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- if branches -%}
        {{ branches | join('\n    union all\n') }}
    {%- else -%}
        {{ dq_empty_issues() }}
    {%- endif -%}
{%- endmacro %}


{#
  Part D, the contract-driven warehouse side of the problem DATE_OUT_OF_RANGE (the door's
  date_range check, same bounds): every date before var earliest_plausible_date
  (DATE_BEFORE_EARLIEST_PLAUSIBLE), and every date after the council's date ceiling, or for a
  future_ok column (target dates, review due dates, expected dates of birth may lie ahead)
  after the reporting date + 1 year (DATE_AFTER_REPORTING_DATE). Read from the CTEs the
  calling model defines: `spans` (la_code, date_ceiling, future_ceiling) and
  `out_of_range_texts` (date_text: every text of dq_date_texts that parses to a date out of
  range for at least one council). Every landing row, usable or not; severity from the
  contract's severity model.
  Parsing a date is the cost (regular expressions), and a column repeats a few thousand texts
  over millions of rows: so each distinct text is parsed once (out_of_range_texts), each table
  is read once for the rows holding such a text in any date column, and only those few rows
  are parsed again, unpivoted to one row per date column and checked against their council.
#}
{% macro dq_future_date_issues() -%}
    {%- set earliest = "cast('" ~ var('earliest_plausible_date') ~ "' as date)" -%}
    {%- set branches = [] -%}
    {%- for table_name in dq_contract_tables() -%}
        {%- set base_relation = ref(dq_model_name('base', table_name)) -%}
        {%- set dates = ssd_contract_columns(table_name) | selectattr('type', 'equalto', 'date') | list -%}
        {%- if dates -%}
            {%- set branch -%}
    select
        {{ dq_base_row_location(table_name, 'base') }},
        base._column_name as column_name,
        case when base._parsed_date < {{ earliest }} then 'DATE_BEFORE_EARLIEST_PLAUSIBLE'
            else 'DATE_AFTER_REPORTING_DATE' end as rule_code,
        {{ dq_literal(ssd_problem_severity('DATE_OUT_OF_RANGE')) }} as severity,
        case when base._parsed_date < {{ earliest }}
            then 'dated before {{ var("earliest_plausible_date") }}: a typing error'
            when base._future_ok
            then 'dated more than a year after the reporting date: a typing error'
            else 'dated after the extract (after both its reporting date and its latest plausible event date): a typing error or a future date'
        end as message,
        cast(base._value_seen as {{ dbt.type_string() }}) as value_seen,
        'warehouse' as rule_source
    from (
        select
            flagged.*,
            date_columns.column_name as _column_name,
            case date_columns.column_name
                {%- for c in dates %}
                when {{ dq_literal(c.name) }} then {{ ssd_date('flagged.' ~ c.name) }}
                {%- endfor %}
            end as _parsed_date,
            case date_columns.column_name
                {%- for c in dates %}
                when {{ dq_literal(c.name) }} then flagged.{{ 'future_ceiling' if c.future_ok else 'date_ceiling' }}
                {%- endfor %}
            end as _ceiling,
            case date_columns.column_name
                {%- for c in dates %}
                when {{ dq_literal(c.name) }} then {{ 'true' if c.future_ok else 'false' }}
                {%- endfor %}
            end as _future_ok,
            case date_columns.column_name
                {%- for c in dates %}
                when {{ dq_literal(c.name) }} then {{ dq_unless_malformed('flagged', 'flagged.' ~ c.name) if dq_value_is_publishable(table_name, c.name) else 'null' }}
                {%- endfor %}
            end as _value_seen
        from (
            select
                base.*,
                spans.date_ceiling,
                spans.future_ceiling
            from {{ base_relation }} as base
            inner join spans on spans.la_code = base.la_code
            where
                {%- for c in dates %}
                {% if not loop.first %}or {% endif %}base.{{ c.name }} in (select date_text from out_of_range_texts)
                {%- endfor %}
        ) as flagged
        cross join (
            {%- for c in dates %}
            {% if not loop.first %}union all {% endif %}select {{ dq_literal(c.name) }} as column_name
            {%- endfor %}
        ) as date_columns
    ) as base
    where base._parsed_date < {{ earliest }} or base._parsed_date > base._ceiling
            {%- endset -%}
            {%- do branches.append(branch) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if branches -%}
        {{ branches | join('\n    union all\n') }}
    {%- else -%}
        {{ dq_empty_issues() }}
    {%- endif -%}
{%- endmacro %}


{# The distinct texts (date_text) of every date column of every contract table, landing rows usable or not. #}
{% macro dq_date_texts() -%}
    {%- set branches = [] -%}
    {%- for table_name in dq_contract_tables() -%}
        {%- set base_relation = ref(dq_model_name('base', table_name)) -%}
        {%- for c in ssd_contract_columns(table_name) if c.type == 'date' -%}
            {%- do branches.append('select distinct ' ~ c.name ~ ' as date_text from ' ~ base_relation ~ ' where ' ~ c.name ~ ' is not null') -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- if branches -%}
        {{ branches | join('\n    union\n    ') }}
    {%- else -%}
    select cast(null as {{ dbt.type_string() }}) as date_text where 1 = 0
    {%- endif -%}
{%- endmacro %}


{#
  Where each usable row of each event table is: (la_code, table_name, record_id) -> file,
  line and child_key, so rules written against the typed staging models and facts can point
  at a line. Usable rows have unique keys (a repeated key is quarantined). The person table
  is left out: no rule reports a person row by id (a person id is never published).
#}
{% macro dq_record_locations() -%}
    {%- set branches = [] -%}
    {%- for table_name in dq_contract_tables() if table_name != 'ssd_person' -%}
        {%- set base_relation = ref(dq_model_name('base', table_name)) -%}
        {%- if dq_key_column(table_name) -%}
            {%- set branch -%}
    select
        {{ dq_base_row_location(table_name, 'base') }},
        {{ dq_literal(dq_person_id_column(table_name)) }} as person_id_column
    from {{ base_relation }} as base
    where base._is_usable
            {%- endset -%}
            {%- do branches.append(branch) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if branches -%}
        {{ branches | join('\n    union all\n') }}
    {%- else -%}
    select
        cast(null as {{ dbt.type_string() }}) as la_code,
        cast(null as {{ dbt.type_string() }}) as table_name,
        cast(null as {{ dbt.type_string() }}) as source_file,
        cast(null as bigint) as line_number,
        cast(null as {{ dbt.type_string() }}) as record_id,
        cast(null as {{ dbt.type_string() }}) as child_key,
        cast(null as {{ dbt.type_string() }}) as person_id_column
    where 1 = 0
    {%- endif -%}
{%- endmacro %}


{# Landing rows (every base row) and quarantined rows per council, one select per table. #}
{% macro dq_landing_row_counts() -%}
    {%- set branches = [] -%}
    {%- for table_name in dq_contract_tables() -%}
            {%- set branch -%}
    select
        la_code,
        {{ dq_literal(table_name) }} as table_name,
        count(*) as raw_rows,
        sum(case when _is_usable then 0 else 1 end) as quarantined_rows
    from {{ ref(dq_model_name('base', table_name)) }}
    group by la_code
            {%- endset -%}
            {%- do branches.append(branch) -%}
    {%- endfor -%}
    {%- if branches -%}
        {{ branches | join('\n    union all\n') }}
    {%- else -%}
    select cast(null as {{ dbt.type_string() }}) as la_code, cast(null as {{ dbt.type_string() }}) as table_name,
        cast(0 as bigint) as raw_rows, cast(0 as bigint) as quarantined_rows
    where 1 = 0
    {%- endif -%}
{%- endmacro %}


{# Rows that reached staging (stg_ssd__<table>) per council, one select per table. #}
{% macro dq_staged_row_counts() -%}
    {%- set branches = [] -%}
    {%- for table_name in dq_contract_tables() -%}
            {%- set branch -%}
    select
        la_code,
        {{ dq_literal(table_name) }} as table_name,
        count(*) as staged_rows
    from {{ ref(dq_model_name('stg', table_name)) }}
    group by la_code
            {%- endset -%}
            {%- do branches.append(branch) -%}
    {%- endfor -%}
    {%- if branches -%}
        {{ branches | join('\n    union all\n') }}
    {%- else -%}
    select cast(null as {{ dbt.type_string() }}) as la_code, cast(null as {{ dbt.type_string() }}) as table_name,
        cast(0 as bigint) as staged_rows
    where 1 = 0
    {%- endif -%}
{%- endmacro %}


{# The contract's table names as a relation (table_name). #}
{% macro dq_contract_tables_relation() -%}
    {%- set rows = [] -%}
    {%- for table_name in dq_contract_tables() -%}
        {%- do rows.append('select ' ~ dq_literal(table_name) ~ ' as table_name') -%}
    {%- endfor -%}
    {%- if rows -%}
        {{ rows | join('\n    union all ') }}
    {%- else -%}
    select cast(null as {{ dbt.type_string() }}) as table_name where 1 = 0
    {%- endif -%}
{%- endmacro %}


{#
  A section 47 enquiry still waiting for its initial child protection conference: none held
  and linked, and not concluded as needing none. SSD has no "ICPC not required" field (CIN
  census ICPCnotRequired); an NFA enquiry, or an ended one whose outcome is not an ICPC,
  stands for it. Used by DfE rules 8839 and 8675Q, so both mean the same thing by "open".
#}
{% macro dq_s47_awaits_icpc(led_to_icpc, is_nfa, s47_end_date, outcome_icpc) -%}
    (
        not coalesce({{ led_to_icpc }}, false)
        and not coalesce({{ is_nfa }}, false)
        and not ({{ s47_end_date }} is not null and not coalesce({{ outcome_icpc }}, false))
        -- an outcome recorded as "no conference" (ICPCnotRequired in a census return) is concluded
        and coalesce({{ outcome_icpc }}, true)
    )
{%- endmacro %}
