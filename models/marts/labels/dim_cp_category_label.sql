{# Words for the CIN census cp category codes the marts carry (seed ref_cin_codes). #}
{{ code_label('cp_category') }}
