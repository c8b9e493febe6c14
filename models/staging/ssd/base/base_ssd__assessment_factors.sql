{{ ssd_base('ssd_assessment_factors') }}
