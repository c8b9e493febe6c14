{#
  DfE CIN census validation rules on how records hang together: activity under a referral
  marked NFA (8831, 8832) and the CP plan's start against its initial conference (2885),
  against the typed staging models (usable rows). SSD links records by referral_id (the CIN
  census CINdetailsID); a conference without one takes its enquiry's.
#}
with

referrals as (
    select la_code, referral_id, is_referral_nfa
    from {{ ref('stg_ssd__cin_episodes') }}
),

assessments as (
    select la_code, assessment_id, referral_id, assessment_start_date, assessment_auth_date
    from {{ ref('stg_ssd__cin_assessments') }}
),

enquiries as (
    select la_code, s47_enquiry_id, referral_id, s47_start_date
    from {{ ref('stg_ssd__s47_enquiry') }}
),

conferences as (
    select la_code, icpc_id, s47_enquiry_id, referral_id, child_key, cp_plan_id, icpc_date
    from {{ ref('stg_ssd__initial_cp_conference') }}
),

cp_plans as (
    select la_code, cp_plan_id, referral_id, icpc_id, child_key, plan_start_date, is_other_la_plan
    from {{ ref('stg_ssd__cp_plans') }}
),

census as (
    select la_code, census_start_date, reference_date from {{ ref('int_dq_census_period') }}
),

nfa_referrals as (
    select la_code, referral_id
    from referrals
    where is_referral_nfa
),

conferences_with_referral as (
    select
        conferences.la_code,
        conferences.icpc_id,
        coalesce(conferences.referral_id, enquiries.referral_id) as referral_id,
        conferences.child_key,
        conferences.cp_plan_id,
        conferences.icpc_date
    from conferences
    left join enquiries
        on enquiries.la_code = conferences.la_code
        and enquiries.s47_enquiry_id = conferences.s47_enquiry_id
),

-- The activity DfE 8831 names (an assessment start or authorisation date, an S47 start date,
-- an initial conference date), one row per activity record, with its referral.
referral_activity as (
    select la_code, referral_id, 'assessment' as activity
    from assessments
    where assessment_start_date is not null or assessment_auth_date is not null
    union all
    select la_code, referral_id, 's47' as activity
    from enquiries
    where s47_start_date is not null
    union all
    select la_code, referral_id, 'icpc' as activity
    from conferences_with_referral
    where icpc_date is not null
),

activity_per_referral as (
    select
        la_code,
        referral_id,
        sum(case when activity = 'assessment' then 1 else 0 end) as assessment_count,
        sum(case when activity = 's47' then 1 else 0 end) as s47_count,
        sum(case when activity = 'icpc' then 1 else 0 end) as icpc_count
    from referral_activity
    where referral_id is not null
    group by la_code, referral_id
),

-- 8831: a referral with ReferralNFA true cannot have an assessment, an S47 enquiry or an
-- initial conference. The referral is reported (one row, the counts in the message).
nfa_referrals_with_activity as (
    select
        nfa_referrals.la_code,
        'ssd_cin_episodes' as table_name,
        nfa_referrals.referral_id as record_id,
        'cine_referral_nfa' as column_name,
        '8831' as rule_code,
        'Activity is recorded against a case marked as a referral with no further action ('
            || cast(activity_per_referral.assessment_count as {{ dbt.type_string() }}) || ' assessment(s), '
            || cast(activity_per_referral.s47_count as {{ dbt.type_string() }}) || ' S47 enquiry(ies), '
            || cast(activity_per_referral.icpc_count as {{ dbt.type_string() }}) || ' initial conference(s) linked)' as message,
        'true' as value_seen
    from nfa_referrals
    inner join activity_per_referral
        on activity_per_referral.la_code = nfa_referrals.la_code
        and activity_per_referral.referral_id = nfa_referrals.referral_id
),

-- 8832: a referral with ReferralNFA true cannot have a child protection plan. The plan is
-- reported; a plan with no referral_id takes its conference's.
cp_plans_under_nfa_referral as (
    select
        cp_plans.la_code,
        'ssd_cp_plans' as table_name,
        cp_plans.cp_plan_id as record_id,
        'cppl_referral_id' as column_name,
        '8832' as rule_code,
        'Child Protection details provided for a referral with no further action.' as message,
        cast(null as {{ dbt.type_string() }}) as value_seen
    from cp_plans
    left join conferences_with_referral
        on conferences_with_referral.la_code = cp_plans.la_code
        and conferences_with_referral.icpc_id = cp_plans.icpc_id
    inner join nfa_referrals
        on nfa_referrals.la_code = cp_plans.la_code
        and nfa_referrals.referral_id = coalesce(cp_plans.referral_id, conferences_with_referral.referral_id)
),

-- 2885 links a plan to the conferences of its CIN episode. SSD offers three links: the plan's
-- icpc_id, the conference's cp_plan_id, and the same referral for the same child. Each is an
-- equi-join; a plan may come through more than one.
plan_conference_links as (
    select cp_plans.la_code, cp_plans.cp_plan_id, conferences_with_referral.icpc_date
    from cp_plans
    inner join conferences_with_referral
        on conferences_with_referral.la_code = cp_plans.la_code
        and conferences_with_referral.icpc_id = cp_plans.icpc_id
    union all
    select cp_plans.la_code, cp_plans.cp_plan_id, conferences_with_referral.icpc_date
    from cp_plans
    inner join conferences_with_referral
        on conferences_with_referral.la_code = cp_plans.la_code
        and conferences_with_referral.cp_plan_id = cp_plans.cp_plan_id
    union all
    select cp_plans.la_code, cp_plans.cp_plan_id, conferences_with_referral.icpc_date
    from cp_plans
    inner join conferences_with_referral
        on conferences_with_referral.la_code = cp_plans.la_code
        and conferences_with_referral.referral_id = cp_plans.referral_id
        and conferences_with_referral.child_key = cp_plans.child_key
),

plan_conference_match as (
    select
        cp_plans.la_code,
        cp_plans.cp_plan_id,
        cp_plans.plan_start_date,
        count(plan_conference_links.icpc_date) as linked_conference_dates,
        sum(case when plan_conference_links.icpc_date = cp_plans.plan_start_date then 1 else 0 end)
            as conferences_on_start_day
    from cp_plans
    left join plan_conference_links
        on plan_conference_links.la_code = cp_plans.la_code
        and plan_conference_links.cp_plan_id = cp_plans.cp_plan_id
    inner join census
        on census.la_code = cp_plans.la_code
    -- DfE checks plans starting in the census year (int_dq_census_period). A plan held by
    -- another authority (cppl_cp_plan_ola) has no conference held by this council, so it is
    -- left out.
    where cp_plans.plan_start_date between census.census_start_date and census.reference_date
      and not coalesce(cp_plans.is_other_la_plan, false)
    group by cp_plans.la_code, cp_plans.cp_plan_id, cp_plans.plan_start_date
),

cp_plans_not_starting_at_conference as (
    select
        la_code,
        'ssd_cp_plans' as table_name,
        cp_plan_id as record_id,
        'cppl_cp_plan_start_date' as column_name,
        '2885' as rule_code,
        case
            when linked_conference_dates = 0
                then 'Child protection plan shown as starting a different day to the initial child protection conference. (no conference with a date is linked to this plan)'
            else 'Child protection plan shown as starting a different day to the initial child protection conference.'
        end as message,
        cast(plan_start_date as {{ dbt.type_string() }}) as value_seen
    from plan_conference_match
    where conferences_on_start_day = 0
),

rule_failures as (
    select * from nfa_referrals_with_activity
    union all select * from cp_plans_under_nfa_referral
    union all select * from cp_plans_not_starting_at_conference
)

select
    la_code,
    table_name,
    record_id,
    column_name,
    rule_code,
    'warn' as severity,
    message,
    value_seen,
    'dfe' as rule_source
from rule_failures
