{# Words and order for the warehouse's measure type codes (seed ref_mart_labels). #}
{{ mart_label('measure_type') }}
