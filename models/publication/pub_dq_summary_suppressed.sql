{# dq_summary for outside the council: counts of 1 to 5 NULL, their *_display text 'c'. #}
with

published as (select * from {{ ref('pub_dq_summary') }}),

final as (
    select
        {{ columns_except(ref('pub_dq_summary'), 'published', {
            'issue_count': 'case when published.issue_count_suppressed then null else published.issue_count end',
            'rows_affected': 'case when published.rows_affected_suppressed then null else published.rows_affected end',
            'issue_count_display': "case when published.issue_count_suppressed then 'c' else published.issue_count_display end",
            'rows_affected_display': "case when published.rows_affected_suppressed then 'c' else published.rows_affected_display end",
        }) }}
    from published
)

select * from final
