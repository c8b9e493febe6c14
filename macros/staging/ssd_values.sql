{#
  Value typing for SSD extracts. Every staging model types through these, so a format
  accepted in one table is accepted in all.
#}

{# Blank and whitespace-only text is "not recorded". #}
{% macro ssd_clean(column) -%}
    nullif(trim({{ column }}), '')
{%- endmacro %}

{% macro ssd_date(column) -%}
    {{ csc_try_parse_date(column) }}
{%- endmacro %}

{# Y/N, Yes/No, 1/0, true/false in any letter case; blank or anything else = unknown (null). #}
{% macro ssd_flag(column) -%}
    case
        when lower(trim({{ column }})) in ('y', 'yes', '1', 'true', 't') then true
        when lower(trim({{ column }})) in ('n', 'no', '0', 'false', 'f') then false
    end
{%- endmacro %}

{# Whole numbers only: "3.5", "1e3" or "0x10" are not counts of anything. #}
{% macro ssd_int(column) -%}
    case when {{ csc_regexp_full_match('trim(' ~ column ~ ')', '[+-]?[0-9]+') }}
         then {{ dbt.safe_cast(column, api.Column.translate_type('integer')) }} end
{%- endmacro %}

{# A flag inside an SSD JSON outcome column, e.g. ssd_json_flag('cine_referral_outcome_json', 'NFA_FLAG'). #}
{% macro ssd_json_flag(column, key) -%}
    {{ ssd_flag(csc_json_get_text(column, key)) }}
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

{# CP categories: CIN census codes or SSD words, to the CIN census code. #}
{% macro ssd_cp_category(column) -%}
    case
        when upper(trim({{ column }})) in ('NEG', 'PHY', 'SAB', 'EMO', 'MUL') then upper(trim({{ column }}))
        when lower(trim({{ column }})) = 'neglect' then 'NEG'
        when lower(trim({{ column }})) = 'physical abuse' then 'PHY'
        when lower(trim({{ column }})) = 'sexual abuse' then 'SAB'
        when lower(trim({{ column }})) = 'emotional abuse' then 'EMO'
        when lower(trim({{ column }})) = 'multiple' then 'MUL'
    end
{%- endmacro %}

{# Sex from pers_sex (M/F/U), falling back to the legacy gender code (1 = M, 2 = F, 0/9 = U). #}
{% macro ssd_sex(sex_column, gender_column) -%}
    coalesce(
        case when upper(trim({{ sex_column }})) in ('M', 'F', 'U') then upper(trim({{ sex_column }})) end,
        case trim({{ gender_column }}) when '1' then 'M' when '2' then 'F' when '0' then 'U' when '9' then 'U' end
    )
{%- endmacro %}
