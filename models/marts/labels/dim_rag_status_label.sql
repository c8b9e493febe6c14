{# Words and order for the warehouse's rag status codes (seed ref_mart_labels). #}
{{ mart_label('rag_status') }}
