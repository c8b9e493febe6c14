{# Words for the CIN census sex codes the marts carry (seed ref_cin_codes). #}
{{ code_label('sex') }}
