{#
  dq_summary as every publication carries it: the counts as text too, and whether the
  external publication suppresses them (a count of 1 to 5 problems or rows). dq_summary
  publishes no totals, so no complementary suppression is needed.
#}
with

dq_summary as (select * from {{ ref('dq_summary') }}),

final as (
    select
        {{ columns_except(ref('dq_summary'), 'dq_summary') }},
        {{ is_small_count('dq_summary.issue_count') }} as issue_count_suppressed,
        {{ is_small_count('dq_summary.rows_affected') }} as rows_affected_suppressed,
        {{ display_text('dq_summary.issue_count') }} as issue_count_display,
        {{ display_text('dq_summary.rows_affected') }} as rows_affected_display
    from dq_summary
)

select * from final
