{# Words for the CIN census primary need codes the marts carry (seed ref_cin_codes). #}
{{ code_label('primary_need') }}
