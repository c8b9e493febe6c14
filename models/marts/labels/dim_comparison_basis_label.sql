{# Words and order for the warehouse's comparison basis codes (seed ref_mart_labels). #}
{{ mart_label('comparison_basis') }}
