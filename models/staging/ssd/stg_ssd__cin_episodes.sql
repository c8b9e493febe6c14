with

base as (
    select * from {{ ref('base_ssd__cin_episodes') }}
    where _is_usable
),

-- Each JSON outcome is read once, in its own step: the flag macros read their argument more than
-- once, and reading JSON is the costly part of staging (England, ssd_contacts: 6.5 s -> 2.9 s).
outcome_texts as (
    select
        *,
        {{ ssd_json_text('cine_referral_outcome_json', 'NFA_FLAG') }} as cine_referral_outcome_json__nfa_flag,
        {{ ssd_json_text('cine_referral_outcome_json', 'SINGLE_ASSESSMENT_FLAG') }} as cine_referral_outcome_json__single_assessment_flag,
        {{ ssd_json_text('cine_referral_outcome_json', 'STRATEGY_DISCUSSION_FLAG') }} as cine_referral_outcome_json__strategy_discussion_flag
    from base
),

renamed as (
    select
        la_code,
        cine_referral_id as referral_id,
        _child_key as child_key,
        {{ ssd_date('cine_referral_date') }} as referral_date,
        upper(cine_cin_primary_need_code) as primary_need_code,
        upper(cine_referral_source_code) as referral_source_code,
        cine_referral_source_desc as referral_source_desc,
        {{ ssd_either_flag(
            ssd_flag('cine_referral_nfa'),
            ssd_flag('cine_referral_outcome_json__nfa_flag')
        ) }} as is_referral_nfa,
        {{ ssd_flag('cine_referral_outcome_json__single_assessment_flag') }} as outcome_single_assessment,
        {{ ssd_flag('cine_referral_outcome_json__strategy_discussion_flag') }} as outcome_strategy_discussion,
        upper(cine_close_reason) as close_reason_code,
        -- As written, for the DfE rules on a census return's codes (int_dq_dfe_codes: DfE compares case).
        {{ ssd_clean('cine_referral_source_code') }} as referral_source_as_given,
        {{ ssd_clean('cine_cin_primary_need_code') }} as primary_need_as_given,
        {{ ssd_clean('cine_close_reason') }} as close_reason_as_given,
        {{ ssd_date('cine_close_date') }} as close_date,
        {{ ssd_flag('cine_short_break_budget_only') }} as is_short_break_budget_only
    from outcome_texts
)

select * from renamed
