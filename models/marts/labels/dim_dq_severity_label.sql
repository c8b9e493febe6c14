{# Words and order for the warehouse's dq severity codes (seed ref_mart_labels). #}
{{ mart_label('dq_severity') }}
