{# Words for the CIN census referral source codes the marts carry (seed ref_cin_codes). #}
{{ code_label('referral_source') }}
