{# Words and order for the warehouse's unit codes (seed ref_mart_labels). #}
{{ mart_label('unit') }}
