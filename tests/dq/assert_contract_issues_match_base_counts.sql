{#
  dq_issues lists exactly the contract problems the base models counted: for every landing
  row, its contract issues number _error_count + _warning_count, and its error issues
  _error_count (so a quarantined row always has its reason listed, and nothing is listed for
  a clean row). Returns the rows where the two disagree.
#}

with

base_counts as (
    {%- set branches = [] %}
    {%- for table_name in dq_contract_tables() %}
    {%- set branch %}
    select
        la_code,
        {{ dq_literal(table_name) }} as table_name,
        _source_file as source_file,
        _line_number as line_number,
        _error_count as error_count,
        _error_count + _warning_count as problem_count
    from {{ ref(dq_model_name('base', table_name)) }}
    where _error_count + _warning_count > 0
    {%- endset %}
    {%- do branches.append(branch) %}
    {%- endfor %}
    {%- if branches %}
    {{ branches | join('\n    union all') }}
    {%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as la_code,
        cast(null as {{ dbt.type_string() }}) as table_name,
        cast(null as {{ dbt.type_string() }}) as source_file,
        cast(null as bigint) as line_number,
        0 as error_count,
        0 as problem_count
    where 1 = 0
    {%- endif %}
),

listed_counts as (
    select
        la_code,
        table_name,
        source_file,
        line_number,
        sum(case when severity = 'error' then 1 else 0 end) as error_count,
        count(*) as problem_count
    from {{ ref('int_dq_contract_issues') }}
    group by la_code, table_name, source_file, line_number
),

compared as (
    select
        coalesce(base_counts.la_code, listed_counts.la_code) as la_code,
        coalesce(base_counts.table_name, listed_counts.table_name) as table_name,
        coalesce(base_counts.source_file, listed_counts.source_file) as source_file,
        coalesce(base_counts.line_number, listed_counts.line_number) as line_number,
        base_counts.error_count as counted_errors,
        listed_counts.error_count as listed_errors,
        base_counts.problem_count as counted_problems,
        listed_counts.problem_count as listed_problems
    from base_counts
    full outer join listed_counts
        on listed_counts.la_code = base_counts.la_code
        and listed_counts.table_name = base_counts.table_name
        and listed_counts.source_file = base_counts.source_file
        and listed_counts.line_number = base_counts.line_number
)

select
    la_code,
    table_name,
    source_file,
    line_number,
    counted_errors,
    listed_errors,
    counted_problems,
    listed_problems
from compared
where coalesce(counted_errors, -1) <> coalesce(listed_errors, -1)
   or coalesce(counted_problems, -1) <> coalesce(listed_problems, -1)
