-- depends_on: {{ ref('base_ssd__cin_assessments') }}
{{ ssd_base('ssd_assessment_factors') }}
