{# Words for the CIN census ethnicity codes the marts carry (seed ref_cin_codes). #}
{{ code_label('ethnicity') }}
