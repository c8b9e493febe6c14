{#
  Text to date, accepting exactly the formats of var `date_formats` (dbt_project.yml: the one
  place they are written; csc validate reads the same list). Each format is a regular
  expression the whole text must match; its named groups year, month and day give the date.
  Anything else, including month-first (12/31/2016), impossible dates (31/02/2016) and
  two-digit years, gives null; staging records why. Engine-specific, so dispatched.
#}
{% macro csc_try_parse_date(expr) -%}
    {{ return(adapter.dispatch('csc_try_parse_date', 'csc')(expr)) }}
{%- endmacro %}

{# The named groups (year, month, day) of a date format's pattern, in the order they appear. #}
{% macro csc_date_format_groups(pattern) -%}
    {%- set found = [] -%}
    {%- for name in ['year', 'month', 'day'] -%}
        {%- set at = pattern.find('(?P<' ~ name ~ '>') -%}
        {%- if at < 0 -%}
            {{ exceptions.raise_compiler_error("date format " ~ pattern ~ " has no named group " ~ name) }}
        {%- endif -%}
        {%- do found.append((at, name)) -%}
    {%- endfor -%}
    {{ return(found | sort | map(attribute=1) | list) }}
{%- endmacro %}

{#
  DuckDB: one regexp_replace per format, not a match and three extracts (a quarter of the
  regular-expression work on a text that matches; dates are parsed in every base and staging
  model). The text gets a leading '#' and each format's pattern must match all of it after
  that '#', which the replacement (year-month-day, from the pattern's group numbers) drops: a
  text one format has rewritten can match no later format, so the first format that matches
  wins, as in a case; a text no format matches keeps its '#' and casts to null. The cast
  reads a one-digit month or day as the padded one would be.
#}
{% macro duckdb__csc_try_parse_date(expr) -%}
    {%- set rewritten = namespace(text="'#' || " ~ expr) -%}
    {%- for f in var('date_formats') -%}
        {%- do csc_date_format_groups(f.pattern) -%}  {#- stops the build if a named group is missing -#}
        {%- set groups = modules.re.compile(f.pattern).groupindex -%}
        {%- for name in ['year', 'month', 'day'] if groups[name] > 9 -%}
            {{ exceptions.raise_compiler_error("date format " ~ f.pattern ~ ": group " ~ name ~ " is past the ninth, which a DuckDB replacement cannot name") }}
        {%- endfor -%}
        {%- set pattern = '^#(?:' ~ f.pattern | replace("'", "''") ~ ')$' -%}
        {%- set rewritten.text = 'regexp_replace(' ~ rewritten.text ~ ", '" ~ pattern ~ "', '\\" ~ groups['year'] ~ '-\\' ~ groups['month'] ~ '-\\' ~ groups['day'] ~ "')" -%}
    {%- endfor -%}
    try_cast({{ rewritten.text }} as date)
{%- endmacro %}

{#
  Spark: Java regular expressions name groups (?<name>...), not Python's (?P<name>...), and
  regexp_extract takes a group's number, which Python's re gives for the same pattern. The
  pattern is a Spark string literal, where a backslash escapes, so backslashes are doubled.
  \z, not $: Java's $ also matches before a final line break.
#}
{% macro spark__csc_try_parse_date(expr) -%}
    case
    {%- for f in var('date_formats') %}
        {%- set groups = modules.re.compile(f.pattern).groupindex -%}
        {%- set pattern = csc_spark_regexp_literal('^(?:' ~ f.pattern.replace('(?P<', '(?<') ~ ')\\z') %}
        {%- set part = 'regexp_extract(' ~ expr ~ ', ' ~ pattern ~ ', ' %}
        when {{ expr }} rlike {{ pattern }}
            then try_cast(
                concat({{ part }}{{ groups['year'] }}), '-', lpad({{ part }}{{ groups['month'] }}), 2, '0'), '-',
                    lpad({{ part }}{{ groups['day'] }}), 2, '0'))
                as date)
    {%- endfor %}
    end
{%- endmacro %}

{# A regular expression as a Spark string literal (backslash and quote escaped). #}
{% macro csc_spark_regexp_literal(pattern) -%}
    '{{ pattern | replace('\\', '\\\\') | replace("'", "\\'") }}'
{%- endmacro %}

{# True when the whole text matches a regular expression. #}
{% macro csc_regexp_full_match(expr, pattern) -%}
    {{ return(adapter.dispatch('csc_regexp_full_match', 'csc')(expr, pattern)) }}
{%- endmacro %}

{% macro duckdb__csc_regexp_full_match(expr, pattern) -%}
    regexp_full_match({{ expr }}, '{{ pattern }}')
{%- endmacro %}

{% macro spark__csc_regexp_full_match(expr, pattern) -%}
    ({{ expr }} rlike {{ csc_spark_regexp_literal('^(?:' ~ pattern ~ ')\\z') }})
{%- endmacro %}
