{#
  Per council, how ready its CIN census return is: every DfE rule the warehouse implements,
  with the number of failing records and children on the census year's return
  (int_dq_census_period chooses the year; int_dq_dfe_census_failures holds its failures) and
  whether it is an error (DfE rejects the return) or a query (DfE asks for a reason). Every implemented rule is listed, with zeros when clean, so a council sees
  what was checked. Counts only: no record or child is named (marts.dq_issues has the rows).
  A rule the extract cannot evaluate (an optional table or column it needs is absent:
  int_dq_dfe_rule_availability) says so here, once per council, with the inputs missing;
  its counts are null, not zero. The trend by month is dq_census_readiness_monthly.
#}
with

census as (
    select la_code, census_year, reference_date, ruleset_year from {{ ref('int_dq_census_period') }}
),

implemented as (
    select rule_code, model from {{ ref('dfe_cin_rule_models') }}
),

rules as (
    select collection_year, rule_code, rule_type, module, message from {{ ref('dfe_cin_rules') }}
),

availability as (
    select la_code, rule_code, can_evaluate, missing_inputs from {{ ref('int_dq_dfe_rule_availability') }}
),

-- the failures on records the census year's return shows (dq_issues also lists other years')
issues as (
    select la_code, rule_code, record_id, child_key from {{ ref('int_dq_dfe_census_failures') }}
),

counts as (
    select
        la_code,
        rule_code,
        count(*) as failing_records,
        count(distinct child_key) as failing_children
    from issues
    group by la_code, rule_code
),

final as (
    select
        census.la_code,
        census.census_year,
        census.reference_date,
        implemented.rule_code,
        rules.rule_type,
        rules.module,
        implemented.model as rule_model,
        rules.message,
        coalesce(availability.can_evaluate, true) as can_evaluate,
        availability.missing_inputs,
        case when coalesce(availability.can_evaluate, true) then coalesce(counts.failing_records, 0) end
            as failing_records,
        case when coalesce(availability.can_evaluate, true) then coalesce(counts.failing_children, 0) end
            as failing_children
    from census
    cross join implemented
    inner join rules
        on rules.collection_year = census.ruleset_year
        and rules.rule_code = implemented.rule_code
    left join counts
        on counts.la_code = census.la_code
        and counts.rule_code = implemented.rule_code
    left join availability
        on availability.la_code = census.la_code
        and availability.rule_code = implemented.rule_code
)

select
    la_code, census_year, reference_date, rule_code, rule_type, module, rule_model, message,
    can_evaluate, missing_inputs, failing_records, failing_children
from final
