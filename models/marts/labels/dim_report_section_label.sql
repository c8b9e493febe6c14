{# Words and order for the warehouse's report section codes (seed ref_mart_labels). #}
{{ mart_label('report_section') }}
