{# JSON helpers. Malformed JSON yields null here and is reported by the data-quality checks. #}

{% macro csc_json_is_valid(expr) -%}
    {{ return(adapter.dispatch('csc_json_is_valid', 'csc')(expr)) }}
{%- endmacro %}

{% macro duckdb__csc_json_is_valid(expr) -%}
    coalesce(json_valid({{ expr }}), false)
{%- endmacro %}

{# The text value at a top-level key of a JSON object. #}
{% macro csc_json_get_text(expr, key) -%}
    {{ return(adapter.dispatch('csc_json_get_text', 'csc')(expr, key)) }}
{%- endmacro %}

{% macro duckdb__csc_json_get_text(expr, key) -%}
    case when json_valid({{ expr }}) and json_type({{ expr }}) = 'OBJECT'
         then json_extract_string({{ expr }}, '$."{{ key }}"') end
{%- endmacro %}

{#
  Assessment factor codes from either SSD layout: a JSON array ["2B","4B"] or the older
  object {"2B":"Yes","4B":"No"} (only keys whose value is a yes count). Returns a list.
#}
{% macro csc_json_factor_codes(expr) -%}
    {{ return(adapter.dispatch('csc_json_factor_codes', 'csc')(expr)) }}
{%- endmacro %}

{% macro duckdb__csc_json_factor_codes(expr) -%}
    case
        when not coalesce(json_valid({{ expr }}), false) then null
        when json_type({{ expr }}) = 'ARRAY'
            then list_transform(cast(json_extract_string({{ expr }}, '$[*]') as varchar[]), lambda x: upper(trim(x)))
        when json_type({{ expr }}) = 'OBJECT'
            then list_transform(
                list_filter(json_keys({{ expr }}),
                    lambda k: lower(trim(json_extract_string({{ expr }}, '$."' || k || '"'))) in ('y', 'yes', '1', 'true')),
                lambda x: upper(trim(x)))
    end
{%- endmacro %}

{# One row per element of a list column (used in a select list). #}
{% macro csc_unnest(expr) -%}
    {{ return(adapter.dispatch('csc_unnest', 'csc')(expr)) }}
{%- endmacro %}

{% macro duckdb__csc_unnest(expr) -%}
    unnest({{ expr }})
{%- endmacro %}

{% macro spark__csc_unnest(expr) -%}
    explode({{ expr }})
{%- endmacro %}
