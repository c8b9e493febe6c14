{#
  Value typing for SSD extracts. Every staging model types through these, so a format
  accepted in one table is accepted in all. Which words mean what is data, written once:
  seed ref_value_maps (flags, categories of abuse, sex and legacy gender codes), read here and
  by the Python (csc.rules); date formats are var date_formats (csc_try_parse_date).
#}

{# The value-map seed. Models whose checks are generated at execution call it while dbt parses. #}
{% macro ssd_value_maps() -%}
    {{ return(ref('ref_value_maps')) }}
{%- endmacro %}

{# The trimmed, lower-case text of `column` looked up in value map `map_name`: maps_to, or null. #}
{% macro ssd_value_map_lookup(map_name, column) -%}
    (select value_maps.maps_to from {{ ssd_value_maps() }} as value_maps
     where value_maps.value_map = '{{ map_name }}' and value_maps.value = lower(trim({{ column }})))
{%- endmacro %}

{# Blank and whitespace-only text is "not recorded". #}
{% macro ssd_clean(column) -%}
    nullif(trim({{ column }}), '')
{%- endmacro %}

{% macro ssd_date(column) -%}
    {{ csc_try_parse_date(column) }}
{%- endmacro %}

{#
  A yes/no flag (value map `flag` in seed ref_value_maps, any letter case: its words are there only);
  blank or anything else = unknown (null). The two word lists are uncorrelated subqueries,
  computed once per query, so a flag costs a list lookup per row, not a join.
#}
{% macro ssd_flag(column) -%}
    case
        when lower(trim({{ column }})) in (select value from {{ ssd_value_maps() }} where value_map = 'flag' and maps_to = 'true') then true
        when lower(trim({{ column }})) in (select value from {{ ssd_value_maps() }} where value_map = 'flag' and maps_to = 'false') then false
    end
{%- endmacro %}

{# The flag words meaning yes (or no) as one list column `words`, for use inside list functions. #}
{% macro ssd_flag_words(meaning) -%}
    select array_agg(value) as words from {{ ssd_value_maps() }}
    where value_map = 'flag' and maps_to = '{{ 'true' if meaning else 'false' }}'
{%- endmacro %}

{# Whole numbers only: "3.5", "1e3" or "0x10" are not counts of anything. #}
{% macro ssd_int(column) -%}
    case when {{ csc_regexp_full_match('trim(' ~ column ~ ')', '[+-]?[0-9]+') }}
         then {{ dbt.safe_cast(column, api.Column.translate_type('integer')) }} end
{%- endmacro %}

{#
  The text at a key of an SSD JSON outcome column, e.g. ssd_json_text('cine_referral_outcome_json',
  'NFA_FLAG'). The keys are the contract's (column meta `flags`): a key it does not list stops
  the build, so staging cannot read a key the door does not check.
#}
{% macro ssd_json_text(column, key) -%}
    {%- if execute -%}
        {%- set keys = [] -%}
        {%- for node in graph.sources.values() if node.source_name == 'ssd' -%}
            {%- for c in ssd_contract_columns(node.name) if c.name == column -%}
                {%- do keys.extend(c.flags or []) -%}
            {%- endfor -%}
        {%- endfor -%}
        {%- if key not in keys -%}
            {{ exceptions.raise_compiler_error("JSON key " ~ key ~ " of " ~ column ~ " is not in the contract's flags for it (_ssd__sources.yml)") }}
        {%- endif -%}
    {%- endif -%}
    {{ csc_json_get_text(column, key) }}
{%- endmacro %}

{# A flag inside an SSD JSON outcome column, e.g. ssd_json_flag('cine_referral_outcome_json', 'NFA_FLAG'). #}
{% macro ssd_json_flag(column, key) -%}
    {{ ssd_flag(ssd_json_text(column, key)) }}
{%- endmacro %}

{#
  SSD carries some outcomes twice (a flag column and a key in the outcome JSON): yes if either
  says yes, no if either says no and neither yes, unknown only if both are unknown.
#}
{% macro ssd_either_flag(first, second) -%}
    case
        when coalesce({{ first }}, false) or coalesce({{ second }}, false) then true
        when {{ first }} is null and {{ second }} is null then null
        else false
    end
{%- endmacro %}

{# CP categories: CIN census codes or SSD words (value map cp_category), to the CIN census code. #}
{% macro ssd_cp_category(column) -%}
    {{ ssd_value_map_lookup('cp_category', column) }}
{%- endmacro %}

{# Sex from pers_sex (value map sex), falling back to the legacy gender code (value map gender_legacy). #}
{% macro ssd_sex(sex_column, gender_column) -%}
    coalesce(
        {{ ssd_value_map_lookup('sex', sex_column) }},
        {{ ssd_value_map_lookup('gender_legacy', gender_column) }}
    )
{%- endmacro %}

{#
  The JSON rule, once for SQL (csc.rules.json_is_valid is the door's, held to this by the
  parity test): an outcome column (contract meta `flags`) must hold a JSON object, so `42`,
  `"Y"` or `[]` are invalid and reported; a column without named flags (assessment factors)
  may also hold an array.
#}
{% macro ssd_json_is_valid(column, object_only) -%}
    {{ csc_json_is_shape(column, ['OBJECT'] if object_only else ['OBJECT', 'ARRAY']) }}
{%- endmacro %}
