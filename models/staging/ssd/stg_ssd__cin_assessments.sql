with

base as (
    select * from {{ ref('base_ssd__cin_assessments') }}
    where _is_usable
),

renamed as (
    select
        la_code,
        cina_assessment_id as assessment_id,
        {{ child_key('la_code', 'cina_person_id') }} as child_key,
        cina_referral_id as referral_id,
        {{ ssd_date('cina_assessment_start_date') }} as assessment_start_date,
        {{ ssd_flag('cina_assessment_child_seen') }} as was_child_seen,
        {{ ssd_date('cina_assessment_auth_date') }} as assessment_auth_date,
        {{ ssd_either_flag(
            ssd_flag('cina_assessment_outcome_nfa'),
            ssd_json_flag('cina_assessment_outcome_json', 'NFA_FLAG')
        ) }} as is_outcome_nfa
    from base
)

select * from renamed
