with

assessments as (
    select * from {{ ref('stg_ssd__cin_assessments') }}
),

referrals as (
    select la_code, referral_id, referral_date from {{ ref('stg_ssd__cin_episodes') }}
),

factor_lists as (
    select
        la_code,
        assessment_id,
        {{ csc_sorted_listagg('factor_code', "','") }} as factor_codes
    from {{ ref('bridge_assessment_factors') }}
    group by la_code, assessment_id
),

calendar as (
    select date_day, working_day_number from {{ ref('dim_date') }}
),

-- Only the first assessment of a referral is timed from the referral: a later re-assessment
-- in the same episode started for a new reason, so it is not "late from referral". A window
-- over the assessments themselves (an assessment with no referral is no referral's first).
ranked as (
    select
        *,
        referral_id is not null and row_number() over (
            partition by la_code, referral_id
            order by assessment_start_date, assessment_id
        ) = 1 as is_first_assessment_of_referral
    from assessments
),

joined as (
    select
        ranked.*,
        referrals.referral_date,
        cast({{ working_days_between('d_start', 'd_auth') }} as integer) as working_days_start_to_auth,
        cast({{ working_days_between('d_referral', 'd_auth') }} as integer) as working_days_referral_to_auth,
        factor_lists.factor_codes
    from ranked
    left join referrals
        on referrals.la_code = ranked.la_code
        and referrals.referral_id = ranked.referral_id
    left join calendar as d_start on d_start.date_day = ranked.assessment_start_date
    left join calendar as d_auth on d_auth.date_day = ranked.assessment_auth_date
    left join calendar as d_referral on d_referral.date_day = referrals.referral_date
    left join factor_lists
        on factor_lists.la_code = ranked.la_code
        and factor_lists.assessment_id = ranked.assessment_id
),

final as (
    select
        la_code,
        assessment_id,
        referral_id,
        child_key,
        referral_date,
        assessment_start_date,
        assessment_auth_date,
        was_child_seen,
        working_days_start_to_auth,
        working_days_referral_to_auth,
        is_first_assessment_of_referral,
        working_days_start_to_auth <= 45 as is_within_45wd,
        case when is_first_assessment_of_referral
            then working_days_referral_to_auth <= 45 end as is_within_45wd_from_referral,
        working_days_start_to_auth <= 15 as is_within_15wd,
        case when is_first_assessment_of_referral
            then working_days_referral_to_auth <= 15 end as is_within_15wd_from_referral,
        coalesce(is_outcome_nfa, false) as is_outcome_nfa,
        factor_codes
    from joined
)

select * from final
