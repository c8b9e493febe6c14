{#
  DfE CIN census validation rules on the order of dates, against the typed staging models
  (usable rows only: a quarantined row is already in dq_issues). rule_code is the DfE rule
  number; the message is DfE's, with how the rule reads the SSD columns in brackets.
  Located (file, line, child_key) in marts.dq_issues.
#}
with

referrals as (
    select la_code, referral_id, referral_date, close_date
    from {{ ref('stg_ssd__cin_episodes') }}
),

assessments as (
    select la_code, assessment_id, referral_date, assessment_start_date, assessment_auth_date
    from {{ ref('fct_assessments') }}
),

enquiries as (
    select la_code, s47_enquiry_id, referral_id, s47_start_date
    from {{ ref('stg_ssd__s47_enquiry') }}
),

conferences as (
    select la_code, icpc_id, s47_enquiry_id, referral_id, icpc_date
    from {{ ref('stg_ssd__initial_cp_conference') }}
),

cp_plans as (
    select la_code, cp_plan_id, referral_id, plan_start_date, plan_end_date
    from {{ ref('stg_ssd__cp_plans') }}
),

cin_plans as (
    select la_code, cin_plan_id, referral_id, plan_start_date
    from {{ ref('stg_ssd__cin_plans') }}
),

cp_reviews as (
    select la_code, cp_review_id, cp_plan_id, review_date
    from {{ ref('stg_ssd__cp_reviews') }}
),

-- 1103: AssessmentActualStartDate must be on or after CINreferralDate.
assessments_starting_before_referral as (
    select
        la_code,
        'ssd_cin_assessments' as table_name,
        assessment_id as record_id,
        'cina_assessment_start_date' as column_name,
        '1103' as rule_code,
        'The assessment start date cannot be before the referral date' as message,
        cast(assessment_start_date as {{ dbt.type_string() }}) as value_seen
    from assessments
    where assessment_start_date < referral_date
),

-- 1104: DateOfInitialCPC must be on or after CINreferralDate. SSD links a conference to its
-- referral directly or through its section 47 enquiry.
conferences_before_referral as (
    select
        conferences.la_code,
        'ssd_initial_cp_conference' as table_name,
        conferences.icpc_id as record_id,
        'icpc_icpc_date' as column_name,
        '1104' as rule_code,
        'The date of the initial child protection conference cannot be before the referral date' as message,
        cast(conferences.icpc_date as {{ dbt.type_string() }}) as value_seen
    from conferences
    left join enquiries
        on enquiries.la_code = conferences.la_code
        and enquiries.s47_enquiry_id = conferences.s47_enquiry_id
    inner join referrals
        on referrals.la_code = conferences.la_code
        and referrals.referral_id = coalesce(conferences.referral_id, enquiries.referral_id)
    where conferences.icpc_date < referrals.referral_date
),

-- 1105: CPPstartDate must be on or after CINreferralDate.
cp_plans_before_referral as (
    select
        cp_plans.la_code,
        'ssd_cp_plans' as table_name,
        cp_plans.cp_plan_id as record_id,
        'cppl_cp_plan_start_date' as column_name,
        '1105' as rule_code,
        'The child protection plan start date cannot be before the referral date' as message,
        cast(cp_plans.plan_start_date as {{ dbt.type_string() }}) as value_seen
    from cp_plans
    inner join referrals
        on referrals.la_code = cp_plans.la_code
        and referrals.referral_id = cp_plans.referral_id
    where cp_plans.plan_start_date < referrals.referral_date
),

-- 2889: S47ActualStartDate must be on or after CINreferralDate.
enquiries_before_referral as (
    select
        enquiries.la_code,
        'ssd_s47_enquiry' as table_name,
        enquiries.s47_enquiry_id as record_id,
        's47e_s47_start_date' as column_name,
        '2889' as rule_code,
        'The S47 start date cannot be before the referral date.' as message,
        cast(enquiries.s47_start_date as {{ dbt.type_string() }}) as value_seen
    from enquiries
    inner join referrals
        on referrals.la_code = enquiries.la_code
        and referrals.referral_id = enquiries.referral_id
    where enquiries.s47_start_date < referrals.referral_date
),

-- 4015: CINPlanStartDate must be on or after CINreferralDate.
cin_plans_before_referral as (
    select
        cin_plans.la_code,
        'ssd_cin_plans' as table_name,
        cin_plans.cin_plan_id as record_id,
        'cinp_cin_plan_start_date' as column_name,
        '4015' as rule_code,
        'The CIN Plan start date cannot be before the referral date' as message,
        cast(cin_plans.plan_start_date as {{ dbt.type_string() }}) as value_seen
    from cin_plans
    inner join referrals
        on referrals.la_code = cin_plans.la_code
        and referrals.referral_id = cin_plans.referral_id
    where cin_plans.plan_start_date < referrals.referral_date
),

-- 8608: AssessmentAuthorisationDate, if present, must be on or after AssessmentActualStartDate.
assessments_authorised_before_start as (
    select
        la_code,
        'ssd_cin_assessments' as table_name,
        assessment_id as record_id,
        'cina_assessment_auth_date' as column_name,
        '8608' as rule_code,
        'Assessment Start Date cannot be later than its End Date (cina_assessment_auth_date before cina_assessment_start_date)' as message,
        cast(assessment_auth_date as {{ dbt.type_string() }}) as value_seen
    from assessments
    where assessment_auth_date < assessment_start_date
),

-- 8615: if DateOfInitialCPC is present, S47ActualStartDate must be present and on or before
-- it. A conference naming an enquiry that is not among the usable rows has no start date.
conferences_before_enquiry as (
    select
        conferences.la_code,
        'ssd_initial_cp_conference' as table_name,
        conferences.icpc_id as record_id,
        'icpc_icpc_date' as column_name,
        '8615' as rule_code,
        case
            when enquiries.s47_enquiry_id is null
                then 'Section 47 Enquiry Start Date must be present and cannot be later than the date of the initial Child Protection Conference (icpc_s47_enquiry_id names no usable ssd_s47_enquiry row)'
            else 'Section 47 Enquiry Start Date must be present and cannot be later than the date of the initial Child Protection Conference'
        end as message,
        cast(conferences.icpc_date as {{ dbt.type_string() }}) as value_seen
    from conferences
    left join enquiries
        on enquiries.la_code = conferences.la_code
        and enquiries.s47_enquiry_id = conferences.s47_enquiry_id
    where conferences.icpc_date is not null
      and conferences.s47_enquiry_id is not null
      and (enquiries.s47_enquiry_id is null or enquiries.s47_start_date > conferences.icpc_date)
),

-- 8630: CINclosureDate, if present, must be on or after CINreferralDate.
episodes_closed_before_referral as (
    select
        la_code,
        'ssd_cin_episodes' as table_name,
        referral_id as record_id,
        'cine_close_date' as column_name,
        '8630' as rule_code,
        'CIN Closure Date is before CIN Referral Date for the same CIN episode' as message,
        cast(close_date as {{ dbt.type_string() }}) as value_seen
    from referrals
    where close_date < referral_date
),

-- 8925: CPPendDate, if present, must be on or after CPPstartDate.
cp_plans_ending_before_start as (
    select
        la_code,
        'ssd_cp_plans' as table_name,
        cp_plan_id as record_id,
        'cppl_cp_plan_end_date' as column_name,
        '8925' as rule_code,
        'Child Protection Plan End Date earlier than Start Date' as message,
        cast(plan_end_date as {{ dbt.type_string() }}) as value_seen
    from cp_plans
    where plan_end_date < plan_start_date
),

-- 8840: CPPstartDate must not be the same as CPPendDate.
cp_plans_ending_on_start_day as (
    select
        la_code,
        'ssd_cp_plans' as table_name,
        cp_plan_id as record_id,
        'cppl_cp_plan_end_date' as column_name,
        '8840' as rule_code,
        'Child Protection Plan cannot start and end on the same day' as message,
        cast(plan_end_date as {{ dbt.type_string() }}) as value_seen
    from cp_plans
    where plan_end_date = plan_start_date
),

-- 8841: no CPPreviewDate of a plan may be on or before the plan's CPPstartDate. The review
-- row is reported: it holds the date that is out of order.
reviews_on_or_before_plan_start as (
    select
        cp_reviews.la_code,
        'ssd_cp_reviews' as table_name,
        cp_reviews.cp_review_id as record_id,
        'cppr_cp_review_date' as column_name,
        '8841' as rule_code,
        'The review date cannot be on the same day or before the Child protection Plan start date.' as message,
        cast(cp_reviews.review_date as {{ dbt.type_string() }}) as value_seen
    from cp_reviews
    inner join cp_plans
        on cp_plans.la_code = cp_reviews.la_code
        and cp_plans.cp_plan_id = cp_reviews.cp_plan_id
    where cp_reviews.review_date <= cp_plans.plan_start_date
),

rule_failures as (
    select * from assessments_starting_before_referral
    union all select * from conferences_before_referral
    union all select * from cp_plans_before_referral
    union all select * from enquiries_before_referral
    union all select * from cin_plans_before_referral
    union all select * from assessments_authorised_before_start
    union all select * from conferences_before_enquiry
    union all select * from episodes_closed_before_referral
    union all select * from cp_plans_ending_before_start
    union all select * from cp_plans_ending_on_start_day
    union all select * from reviews_on_or_before_plan_start
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
