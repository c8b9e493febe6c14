{{ ssd_base('ssd_cin_assessments') }}
