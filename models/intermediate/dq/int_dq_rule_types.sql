{#
  Whether each DfE CIN census rule is an error or a query, from seed dfe_cin_rules (the one
  owner of the rules' types). The seed lists a rule once per collection year; a rule keeps
  its type from year to year (the unique test on rule_code fails if DfE ever changes one), so
  the warehouse's readers ask this model, never the code's trailing Q.
#}
with

rules as (
    select rule_code, rule_type from {{ ref('dfe_cin_rules') }}
),

rule_types as (
    select distinct rule_code, rule_type from rules
),

final as (
    select
        cast(rule_code as {{ dbt.type_string() }}) as rule_code,
        cast(rule_type as {{ dbt.type_string() }}) as rule_type
    from rule_types
)

select
    rule_code,
    rule_type
from final
