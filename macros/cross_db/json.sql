{# JSON helpers. Malformed JSON yields null here and is reported by the data-quality checks. #}

{% macro csc_json_is_valid(expr) -%}
    {{ return(adapter.dispatch('csc_json_is_valid', 'csc')(expr)) }}
{%- endmacro %}

{% macro duckdb__csc_json_is_valid(expr) -%}
    coalesce(json_valid({{ expr }}), false)
{%- endmacro %}

{#
  Valid JSON whose top level is one of `shapes` ('OBJECT', 'ARRAY'); an array must hold only
  strings (factor codes). False for anything else, never null.
#}
{% macro csc_json_is_shape(expr, shapes) -%}
    {{ return(adapter.dispatch('csc_json_is_shape', 'csc')(expr, shapes)) }}
{%- endmacro %}

{% macro duckdb__csc_json_is_shape(expr, shapes) -%}
    {%- set json = duckdb__csc_json_valid_or_null(expr) -%}
    coalesce(case
        {%- if 'OBJECT' in shapes %}
        when json_type({{ json }}) = 'OBJECT' then true
        {%- endif %}
        {%- if 'ARRAY' in shapes %}
        when json_type({{ json }}) = 'ARRAY'
            then len(list_filter(json_extract({{ json }}, '$[*]'), lambda e: json_type(e) <> 'VARCHAR')) = 0
        {%- endif %}
    end, false)
{%- endmacro %}

{# The text value at a top-level key of a JSON object. #}
{#
  Spark: the variant's schema names the top-level type (OBJECT<...>, ARRAY<...>); each array
  element's schema must be STRING (a JSON null element is VOID, so not a code, as on DuckDB).
#}
{% macro spark__csc_json_is_shape(expr, shapes) -%}
    {%- set variant = 'try_parse_json(' ~ expr ~ ')' -%}
    coalesce(case
        {%- if 'OBJECT' in shapes %}
        when schema_of_variant({{ variant }}) like 'OBJECT<%' then true
        {%- endif %}
        {%- if 'ARRAY' in shapes %}
        when schema_of_variant({{ variant }}) like 'ARRAY<%'
            then forall(try_variant_get({{ variant }}, '$', 'array<variant>'), e -> schema_of_variant(e) = 'STRING')
        {%- endif %}
    end, false)
{%- endmacro %}

{% macro csc_json_get_text(expr, key) -%}
    {{ return(adapter.dispatch('csc_json_get_text', 'csc')(expr, key)) }}
{%- endmacro %}

{#
  Malformed JSON must become null, never an error: DuckDB may evaluate a CASE branch for rows
  the condition rejects, so the JSON functions only ever see valid JSON or null.
#}
{% macro duckdb__csc_json_valid_or_null(expr) -%}
    case when json_valid({{ expr }}) then {{ expr }} end
{%- endmacro %}

{#
  Spark 4: try_parse_json gives SQL null for text that is not JSON (a JSON null is a value).
  Duplicate keys are valid JSON to DuckDB; csc.spark allows them in variants to agree.
#}
{% macro spark__csc_json_is_valid(expr) -%}
    coalesce(try_parse_json({{ expr }}) is not null, false)
{%- endmacro %}

{# Spark: json_object_keys is null unless the text is a JSON object. #}
{% macro spark__csc_json_get_text(expr, key) -%}
    case when json_object_keys({{ expr }}) is not null
         then get_json_object({{ expr }}, '$.{{ key }}') end
{%- endmacro %}

{% macro duckdb__csc_json_get_text(expr, key) -%}
    case when json_type({{ duckdb__csc_json_valid_or_null(expr) }}) = 'OBJECT'
         then json_extract_string({{ duckdb__csc_json_valid_or_null(expr) }}, '$."{{ key }}"') end
{%- endmacro %}

{#
  Assessment factor codes from either SSD layout: a JSON array ["2B","4B"] or the older
  object {"2B":"Yes","4B":"No"} (only keys whose value is a yes word count). `yes_words` is a
  list column of the lower-case yes words (ssd_flag_words(true)). Returns a list.
#}
{% macro csc_json_factor_codes(expr, yes_words) -%}
    {{ return(adapter.dispatch('csc_json_factor_codes', 'csc')(expr, yes_words)) }}
{%- endmacro %}

{% macro duckdb__csc_json_factor_codes(expr, yes_words) -%}
    {%- set json = duckdb__csc_json_valid_or_null(expr) -%}
    case
        when json_type({{ json }}) = 'ARRAY'
            then list_transform(cast(json_extract_string({{ json }}, '$[*]') as varchar[]), lambda x: upper(trim(x)))
        when json_type({{ json }}) = 'OBJECT'
            then list_transform(
                list_filter(json_keys({{ json }}),
                    lambda k: list_contains({{ yes_words }}, lower(trim(json_extract_string({{ json }}, '$."' || k || '"'))))),
                lambda x: upper(trim(x)))
    end
{%- endmacro %}

{#
  Spark: from_json gives each element (or each object value) as its JSON text, as DuckDB's
  json_extract_string does; the object's keys keep the document's order.
#}
{% macro spark__csc_json_factor_codes(expr, yes_words) -%}
    {%- set variant = 'try_parse_json(' ~ expr ~ ')' -%}
    case
        when schema_of_variant({{ variant }}) like 'ARRAY<%'
            then transform(from_json({{ expr }}, 'array<string>'), x -> upper(trim(x)))
        when schema_of_variant({{ variant }}) like 'OBJECT<%'
            then transform(
                map_keys(map_filter(from_json({{ expr }}, 'map<string, string>'),
                    (k, v) -> array_contains({{ yes_words }}, lower(trim(v))))),
                x -> upper(trim(x)))
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
