{#
  kpi_scorecard for outside the council: suppressed figures NULL and 'c' as in
  pub_kpi_values_suppressed, and so is everything computed from them: the change since last
  year, the direction of travel and the RAG rating (each would narrow a suppressed value down).
  Published benchmarks (England, region, neighbours, the council's own published figure) are
  DfE's published figures and are kept.
#}
with

published as (select * from {{ ref('pub_kpi_scorecard') }}),

final as (
    select
        {{ columns_except(ref('pub_kpi_scorecard'), 'published', {
            'numerator': 'case when published.numerator_suppressed then null else published.numerator end',
            'denominator': 'case when published.denominator_suppressed then null else published.denominator end',
            'value': 'case when published.value_suppressed then null else published.value end',
            'previous_year_value': 'case when published.previous_year_value_suppressed then null else published.previous_year_value end',
            'previous_fy_value': 'case when published.previous_fy_value_suppressed then null else published.previous_fy_value end',
            'change_since_last_year': 'case when published.value_suppressed or published.previous_year_value_suppressed then null else published.change_since_last_year end',
            'direction_of_travel': "case when (published.value_suppressed or published.previous_year_value_suppressed) and published.direction_of_travel is not null then 'c' else published.direction_of_travel end",
            'rag_status': "case when published.value_suppressed and published.rag_status is not null then 'c' else published.rag_status end",
            'caveat': without_dq_counts('published.caveat'),
            'numerator_display': "case when published.numerator_suppressed then 'c' else published.numerator_display end",
            'denominator_display': "case when published.denominator_suppressed then 'c' else published.denominator_display end",
            'value_display': "case when published.value_suppressed then 'c' else published.value_display end",
            'previous_year_value_display': "case when published.previous_year_value_suppressed then 'c' else published.previous_year_value_display end",
            'previous_fy_value_display': "case when published.previous_fy_value_suppressed then 'c' else published.previous_fy_value_display end",
        }) }}
    from published
)

select * from final
