{#
  Text to date, accepting exactly the formats case-system extracts carry:
    YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS[.fff]] (SQL Server, also with 'T'), and UK DD/MM/YYYY.
  Anything else, including month-first (12/31/2016), impossible dates (31/02/2016) and
  two-digit years, gives null; staging records why. Engine-specific, so dispatched.
#}
{% macro csc_try_parse_date(expr) -%}
    {{ return(adapter.dispatch('csc_try_parse_date', 'csc')(expr)) }}
{%- endmacro %}

{% macro duckdb__csc_try_parse_date(expr) -%}
    case
        when regexp_full_match({{ expr }}, '\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?')
            then cast(try_strptime(left({{ expr }}, 10), '%Y-%m-%d') as date)
        when regexp_full_match({{ expr }}, '\d{1,2}/\d{1,2}/\d{4}( \d{2}:\d{2}(:\d{2})?)?')
            then cast(try_strptime(split_part({{ expr }}, ' ', 1), '%d/%m/%Y') as date)
    end
{%- endmacro %}

{% macro default__csc_try_parse_date(expr) -%}
    case
        when {{ expr }} like '____-__-__%' then try_cast(substring({{ expr }}, 1, 10) as date)
    end
{%- endmacro %}

{# True when the whole text matches a regular expression. #}
{% macro csc_regexp_full_match(expr, pattern) -%}
    {{ return(adapter.dispatch('csc_regexp_full_match', 'csc')(expr, pattern)) }}
{%- endmacro %}

{% macro duckdb__csc_regexp_full_match(expr, pattern) -%}
    regexp_full_match({{ expr }}, '{{ pattern }}')
{%- endmacro %}

{% macro default__csc_regexp_full_match(expr, pattern) -%}
    ({{ expr }} ~ '^({{ pattern }})$')
{%- endmacro %}
