{# Words for the CIN census assessment factor codes the marts carry (seed ref_cin_codes). #}
{{ code_label('assessment_factor') }}
