{#
  DfE CIN census rules on activity under a referral marked NFA, on the whole extract, against
  the typed staging models (usable rows). SSD links records by referral_id (the CIN census
  CINdetailsID); a conference without one takes its enquiry's; a CP plan without one its
  conference's.
    8831  an NFA referral with an assessment, an S47 enquiry or an initial conference: the
          referral is reported, once, with the counts in the message
    8832  an NFA referral with a CP plan: the plan is reported
#}
with

nfa_referrals as (
    select la_code, referral_id from {{ ref('stg_ssd__cin_episodes') }} where is_referral_nfa
),

enquiries as (
    select la_code, s47_enquiry_id, referral_id, s47_start_date from {{ ref('stg_ssd__s47_enquiry') }}
),

conferences_with_referral as (
    select conferences.la_code, conferences.icpc_id, conferences.icpc_date,
           coalesce(conferences.referral_id, enquiries.referral_id) as referral_id
    from {{ ref('stg_ssd__initial_cp_conference') }} as conferences
    left join enquiries
        on enquiries.la_code = conferences.la_code
        and enquiries.s47_enquiry_id = conferences.s47_enquiry_id
),

-- the activity 8831 names, one row per activity record, with its referral
referral_activity as (
    select la_code, referral_id, 'assessment' as activity
    from {{ ref('stg_ssd__cin_assessments') }}
    where assessment_start_date is not null or assessment_auth_date is not null
    union all
    select la_code, referral_id, 's47' from enquiries where s47_start_date is not null
    union all
    select la_code, referral_id, 'icpc' from conferences_with_referral where icpc_date is not null
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

failures as (
    select
        nfa_referrals.la_code, 'ssd_cin_episodes' as table_name, nfa_referrals.referral_id as record_id,
        'cine_referral_nfa' as column_name, '8831' as rule_code,
        'Activity is recorded against a case marked as a referral with no further action ('
            || cast(activity.assessment_count as {{ dbt.type_string() }}) || ' assessment(s), '
            || cast(activity.s47_count as {{ dbt.type_string() }}) || ' S47 enquiry(ies), '
            || cast(activity.icpc_count as {{ dbt.type_string() }}) || ' initial conference(s) linked)' as message,
        'true' as value_seen
    from nfa_referrals
    inner join activity_per_referral as activity
        on activity.la_code = nfa_referrals.la_code
        and activity.referral_id = nfa_referrals.referral_id
    union all
    select
        cp_plans.la_code, 'ssd_cp_plans', cp_plans.cp_plan_id, 'cppl_referral_id', '8832',
        'Child Protection details provided for a referral with no further action.',
        cast(null as {{ dbt.type_string() }})
    from {{ ref('stg_ssd__cp_plans') }} as cp_plans
    left join conferences_with_referral
        on conferences_with_referral.la_code = cp_plans.la_code
        and conferences_with_referral.icpc_id = cp_plans.icpc_id
    inner join nfa_referrals
        on nfa_referrals.la_code = cp_plans.la_code
        and nfa_referrals.referral_id = coalesce(cp_plans.referral_id, conferences_with_referral.referral_id)
)

select
    la_code, table_name, record_id, column_name, rule_code, 'warn' as severity, message, value_seen,
    'dfe' as rule_source
from failures
