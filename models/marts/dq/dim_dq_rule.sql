{#
  What each data-quality rule found in the build checks, in words, for the report's
  data-quality panel: the commonest message of the rule in dq_issues without DfE's request
  before it ("Please check and either amend data or provide a reason:") and without the row's
  own details in brackets after it. The patterns avoid backslashes so that one SQL text
  means the same on DuckDB and Spark.
#}
with

issue_messages as (
    select rule_code, rule_source, message
    from {{ ref('dq_issues') }}
    where message is not null
),

-- The message without the request before it and the row's details after it.
message_words as (
    select
        rule_code,
        rule_source,
        trim(
            regexp_replace(
                regexp_replace(message, '(?i)^ *please check and either amend data or provide a reason: *', ''),
                ' *[(][^()]*[)] *$',
                ''
            )
        ) as words
    from issue_messages
),

word_counts as (
    select rule_code, rule_source, words, count(*) as issue_count
    from message_words
    where words != ''
    group by rule_code, rule_source, words
),

-- The commonest wording of each rule (ties: the first alphabetically, so rebuilds agree).
ranked as (
    select
        rule_code,
        rule_source,
        words,
        row_number() over (partition by rule_code order by issue_count desc, words asc, rule_source asc) as wording_rank
    from word_counts
),

final as (
    select
        cast(rule_code as {{ dbt.type_string() }}) as rule_code,
        cast(rule_source as {{ dbt.type_string() }}) as rule_source,
        cast(upper(substr(words, 1, 1)) || substr(words, 2) as {{ dbt.type_string() }}) as rule_description
    from ranked
    where wording_rank = 1
)

select
    rule_code,
    rule_source,
    rule_description
from final
