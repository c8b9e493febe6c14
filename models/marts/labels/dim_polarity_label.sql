{# Words and order for the warehouse's polarity codes (seed ref_mart_labels). #}
{{ mart_label('polarity') }}
