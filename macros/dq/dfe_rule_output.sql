{#
  The tail every DfE rule family model shares: the year's ruleset (seed dfe_cin_rules, through
  the council's census year) and the failure rows in the shape int_dq_dfe_rules unions. A rule
  fires only in the years whose ruleset has it (the inner join). `failures` is the family's
  CTE with la_code, census_year, table_name, record_id, column_name, rule_code, value_seen;
  the macro opens with the CTE `rules` (call it after a comma) and ends with the final select.
#}
{% macro csc_dfe_rule_output(failures) %}
rules as (
    select census.la_code, census.census_year, dfe_rules.rule_code, dfe_rules.message
    from {{ ref('int_dq_census_period') }} as census
    inner join {{ ref('dfe_cin_rules') }} as dfe_rules on dfe_rules.collection_year = census.ruleset_year
)

select
    {{ failures }}.la_code,
    {{ failures }}.table_name,
    {{ failures }}.record_id,
    {{ failures }}.column_name,
    {{ failures }}.rule_code,
    'warn' as severity,
    rules.message,
    {{ failures }}.value_seen,
    'dfe' as rule_source
from {{ failures }}
inner join rules
    on rules.la_code = {{ failures }}.la_code
    and rules.census_year = {{ failures }}.census_year
    and rules.rule_code = {{ failures }}.rule_code
{% endmacro %}
