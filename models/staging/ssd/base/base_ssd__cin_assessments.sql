-- depends_on: {{ ref('base_ssd__cin_episodes') }}
{{ ssd_base('ssd_cin_assessments') }}
