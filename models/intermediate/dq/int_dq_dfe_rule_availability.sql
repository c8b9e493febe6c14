{#
  Whether each council's extract lets each implemented DfE rule be evaluated: a rule whose
  optional inputs (seed dfe_cin_rule_inputs: tables, or columns of them) the extract did not
  supply cannot be, and says so here once per council, with the inputs missing, instead of
  failing every child (an absent UPN column would otherwise query every child of school
  age). int_dq_dfe_rules drops such a rule's failures; marts.dq_census_readiness shows it.
#}
with

implemented as (
    select rule_code from {{ ref('dfe_cin_rule_models') }}
),

inputs as (
    select rule_code, table_name, nullif(column_name, '') as column_name
    from {{ ref('dfe_cin_rule_inputs') }}
),

availability as (
    select la_code, table_name, column_name, is_available from {{ ref('int_source_availability') }}
),

councils as (
    select distinct la_code from availability
),

missing_inputs as (
    select
        availability.la_code,
        inputs.rule_code,
        inputs.table_name || coalesce('.' || inputs.column_name, '') as input_name
    from inputs
    inner join availability
        on availability.table_name = inputs.table_name
        and coalesce(availability.column_name, '') = coalesce(inputs.column_name, '')
    where not availability.is_available
),

missing_by_rule as (
    select
        la_code,
        rule_code,
        {{ dbt.listagg('input_name', "', '", 'order by input_name') }} as missing_inputs
    from missing_inputs
    group by la_code, rule_code
)

select
    councils.la_code,
    implemented.rule_code,
    missing_by_rule.rule_code is null as can_evaluate,
    missing_by_rule.missing_inputs
from councils
cross join implemented
left join missing_by_rule
    on missing_by_rule.la_code = councils.la_code
    and missing_by_rule.rule_code = implemented.rule_code
