{#
  kpi_values for outside the council (csc publish --suppress): every count the disclosure
  rule suppresses (int_kpi_cells_suppressed) and the value built on it are NULL, their
  *_display text is 'c'; data-quality counts are taken out of the caveat text.
#}
with

published as (select * from {{ ref('pub_kpi_values') }}),

final as (
    select
        {{ columns_except(ref('pub_kpi_values'), 'published', {
            'numerator': 'case when published.numerator_suppressed then null else published.numerator end',
            'denominator': 'case when published.denominator_suppressed then null else published.denominator end',
            'value': 'case when published.value_suppressed then null else published.value end',
            'caveat': without_dq_counts('published.caveat'),
            'numerator_display': "case when published.numerator_suppressed then 'c' else published.numerator_display end",
            'denominator_display': "case when published.denominator_suppressed then 'c' else published.denominator_display end",
            'value_display': "case when published.value_suppressed then 'c' else published.value_display end",
        }) }}
    from published
)

select * from final
