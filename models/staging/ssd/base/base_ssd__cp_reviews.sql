-- depends_on: {{ ref('base_ssd__cp_plans') }}
{{ ssd_base('ssd_cp_reviews') }}
