{# Words for the CIN census closure reason codes the marts carry (seed ref_cin_codes). #}
{{ code_label('closure_reason') }}
