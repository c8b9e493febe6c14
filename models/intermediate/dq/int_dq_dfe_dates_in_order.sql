{#
  DfE CIN census rules on the order of a record's own dates, or of a record and the one it
  follows, on the whole extract, against the typed staging models (usable rows only):
    8608  an assessment authorised before it started
    8615  an initial conference naming an S47 enquiry that is not among the usable rows, or
          that started after the conference
    8630  an episode closed before its referral
    8840  a CP plan ending on its start day; 8925 one ending before it
    8841  a CP review on or before its plan's start (the review row holds the date)
  The message is DfE's, with how the rule reads the SSD columns in brackets. Located (file,
  line, child_key) in marts.dq_issues.
#}
with

cp_plans as (
    select la_code, cp_plan_id, plan_start_date, plan_end_date from {{ ref('stg_ssd__cp_plans') }}
),

enquiries as (
    select la_code, s47_enquiry_id, s47_start_date from {{ ref('stg_ssd__s47_enquiry') }}
),

failures as (
    select la_code, 'ssd_cin_assessments' as table_name, assessment_id as record_id,
           'cina_assessment_auth_date' as column_name, '8608' as rule_code,
           'Assessment Start Date cannot be later than its End Date (cina_assessment_auth_date before cina_assessment_start_date)'
               as message,
           assessment_auth_date as value_date
    from {{ ref('fct_assessments') }}
    where assessment_auth_date < assessment_start_date
    union all
    select conferences.la_code, 'ssd_initial_cp_conference', conferences.icpc_id, 'icpc_icpc_date', '8615',
           case
               when enquiries.s47_enquiry_id is null
                   then 'Section 47 Enquiry Start Date must be present and cannot be later than the date of the initial Child Protection Conference (icpc_s47_enquiry_id names no usable ssd_s47_enquiry row)'
               else 'Section 47 Enquiry Start Date must be present and cannot be later than the date of the initial Child Protection Conference'
           end,
           conferences.icpc_date
    from {{ ref('stg_ssd__initial_cp_conference') }} as conferences
    left join enquiries
        on enquiries.la_code = conferences.la_code
        and enquiries.s47_enquiry_id = conferences.s47_enquiry_id
    where conferences.icpc_date is not null
      and conferences.s47_enquiry_id is not null
      and (enquiries.s47_enquiry_id is null or enquiries.s47_start_date > conferences.icpc_date)
    union all
    select la_code, 'ssd_cin_episodes', referral_id, 'cine_close_date', '8630',
           'CIN Closure Date is before CIN Referral Date for the same CIN episode', close_date
    from {{ ref('stg_ssd__cin_episodes') }}
    where close_date < referral_date
    union all
    select la_code, 'ssd_cp_plans', cp_plan_id, 'cppl_cp_plan_end_date', '8925',
           'Child Protection Plan End Date earlier than Start Date', plan_end_date
    from cp_plans
    where plan_end_date < plan_start_date
    union all
    select la_code, 'ssd_cp_plans', cp_plan_id, 'cppl_cp_plan_end_date', '8840',
           'Child Protection Plan cannot start and end on the same day', plan_end_date
    from cp_plans
    where plan_end_date = plan_start_date
    union all
    select reviews.la_code, 'ssd_cp_reviews', reviews.cp_review_id, 'cppr_cp_review_date', '8841',
           'The review date cannot be on the same day or before the Child protection Plan start date.',
           reviews.review_date
    from {{ ref('stg_ssd__cp_reviews') }} as reviews
    inner join cp_plans
        on cp_plans.la_code = reviews.la_code
        and cp_plans.cp_plan_id = reviews.cp_plan_id
    where reviews.review_date <= cp_plans.plan_start_date
)

select
    la_code,
    table_name,
    record_id,
    column_name,
    rule_code,
    'warn' as severity,
    message,
    cast(value_date as {{ dbt.type_string() }}) as value_seen,
    'dfe' as rule_source
from failures
