{#
  A month as people write it: 'Sep 2016'. Built from extract() so it does not depend on an
  engine's date-format function or locale.
#}
{% macro month_label(date_expr) -%}
    case cast(extract(month from {{ date_expr }}) as integer)
        {%- for name in ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] %}
        when {{ loop.index }} then '{{ name }} '
        {%- endfor %}
    end || cast(cast(extract(year from {{ date_expr }}) as integer) as {{ dbt.type_string() }})
{%- endmacro %}
