{# Words and order for the warehouse's direction of travel codes (seed ref_mart_labels). #}
{{ mart_label('direction_of_travel') }}
