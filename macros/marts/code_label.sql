{#
  A label mart for one CIN census code list (seed ref_cin_codes): one row per code, so SQL
  users and Power BI (which relates on one column) can show words instead of codes. The code
  list is the seed's; nothing is restated here.
#}
{% macro code_label(code_list) %}

with

codes as (

    select
        code,
        description,
        first_year,
        last_year,
        is_retired
    from {{ ref('ref_cin_codes') }}
    where code_list = '{{ code_list }}'

),

final as (

    select
        cast(code as {{ dbt.type_string() }}) as code,
        cast(description as {{ dbt.type_string() }}) as label,
        cast(row_number() over (order by code) as {{ dbt.type_int() }}) as sort_order,
        cast(first_year as {{ dbt.type_int() }}) as first_year,
        cast(last_year as {{ dbt.type_int() }}) as last_year,
        cast(is_retired as {{ dbt.type_boolean() }}) as is_retired
    from codes

)

select
    code,
    label,
    sort_order,
    first_year,
    last_year,
    is_retired
from final

{% endmacro %}

{#
  A label mart for one of the warehouse's own code lists (seed ref_mart_labels), with the
  order people expect (period types month to year, report sections as the report has them).
#}
{% macro mart_label(code_list) %}

with

codes as (

    select
        code,
        label,
        sort_order
    from {{ ref('ref_mart_labels') }}
    where code_list = '{{ code_list }}'

),

final as (

    select
        cast(code as {{ dbt.type_string() }}) as code,
        cast(label as {{ dbt.type_string() }}) as label,
        cast(sort_order as {{ dbt.type_int() }}) as sort_order
    from codes

)

select
    code,
    label,
    sort_order
from final

{% endmacro %}
