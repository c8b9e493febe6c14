{# Words and order for the warehouse's dq rule source codes (seed ref_mart_labels). #}
{{ mart_label('dq_rule_source') }}
