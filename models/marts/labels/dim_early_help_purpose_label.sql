{# Words and order for the warehouse's early help purpose codes (seed ref_mart_labels). #}
{{ mart_label('early_help_purpose') }}
