with

base as (
    select * from {{ ref('base_ssd__cin_assessments') }}
    where _is_usable
),

-- Each JSON outcome is read once, in its own step: the flag macros read their argument more than
-- once, and reading JSON is the costly part of staging (England, ssd_contacts: 6.5 s -> 2.9 s).
outcome_texts as (
    select
        *,
        {{ ssd_json_text('cina_assessment_outcome_json', 'NFA_FLAG') }} as cina_assessment_outcome_json__nfa_flag
    from base
),

renamed as (
    select
        la_code,
        cina_assessment_id as assessment_id,
        _child_key as child_key,
        cina_referral_id as referral_id,
        {{ ssd_date('cina_assessment_start_date') }} as assessment_start_date,
        {{ ssd_flag('cina_assessment_child_seen') }} as was_child_seen,
        {{ ssd_date('cina_assessment_auth_date') }} as assessment_auth_date,
        {{ ssd_either_flag(
            ssd_flag('cina_assessment_outcome_nfa'),
            ssd_flag('cina_assessment_outcome_json__nfa_flag')
        ) }} as is_outcome_nfa
    from outcome_texts
)

select * from renamed
