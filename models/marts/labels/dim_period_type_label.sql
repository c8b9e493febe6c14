{# Words and order for the warehouse's period type codes (seed ref_mart_labels). #}
{{ mart_label('period_type') }}
