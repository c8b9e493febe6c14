{#
  DfE CIN census rules on a record dated before its referral, on the whole extract, against
  the typed staging models (usable rows only: a quarantined row is already in dq_issues):
    1103  an assessment starting before its referral
    1104  an initial conference before its referral (SSD links a conference to its referral
          directly or through its S47 enquiry)
    1105  a CP plan starting before its referral
    2889  an S47 enquiry starting before its referral
    4015  a CIN plan starting before its referral
  The message is DfE's. Located (file, line, child_key) in marts.dq_issues.
#}
with

referrals as (
    select la_code, referral_id, referral_date from {{ ref('stg_ssd__cin_episodes') }}
),

assessments as (
    select la_code, assessment_id, referral_date, assessment_start_date from {{ ref('fct_assessments') }}
),

enquiries as (
    select la_code, s47_enquiry_id, referral_id, s47_start_date from {{ ref('stg_ssd__s47_enquiry') }}
),

conferences as (
    select la_code, icpc_id, s47_enquiry_id, referral_id, icpc_date
    from {{ ref('stg_ssd__initial_cp_conference') }}
),

-- every dated record with its referral's id (a conference without one takes its enquiry's)
dated_records as (
    select la_code, 'ssd_initial_cp_conference' as table_name, icpc_id as record_id,
           'icpc_icpc_date' as column_name, '1104' as rule_code, referral_id, s47_enquiry_id,
           icpc_date as record_date
    from conferences
    union all
    select la_code, 'ssd_cp_plans', cp_plan_id, 'cppl_cp_plan_start_date', '1105', referral_id,
           cast(null as {{ dbt.type_string() }}), plan_start_date
    from {{ ref('stg_ssd__cp_plans') }}
    union all
    select la_code, 'ssd_s47_enquiry', s47_enquiry_id, 's47e_s47_start_date', '2889', referral_id,
           cast(null as {{ dbt.type_string() }}), s47_start_date
    from enquiries
    union all
    select la_code, 'ssd_cin_plans', cin_plan_id, 'cinp_cin_plan_start_date', '4015', referral_id,
           cast(null as {{ dbt.type_string() }}), plan_start_date
    from {{ ref('stg_ssd__cin_plans') }}
),

records_before_referral as (
    select dated_records.la_code, dated_records.table_name, dated_records.record_id,
           dated_records.column_name, dated_records.rule_code, dated_records.record_date
    from dated_records
    left join enquiries
        on enquiries.la_code = dated_records.la_code
        and enquiries.s47_enquiry_id = dated_records.s47_enquiry_id
    inner join referrals
        on referrals.la_code = dated_records.la_code
        and referrals.referral_id = coalesce(dated_records.referral_id, enquiries.referral_id)
    where dated_records.record_date < referrals.referral_date
    union all
    select la_code, 'ssd_cin_assessments', assessment_id, 'cina_assessment_start_date', '1103',
           assessment_start_date
    from assessments
    where assessment_start_date < referral_date
),

messages as (
    select dfe.rule_code, dfe.message from (
        values
        ('1103', 'The assessment start date cannot be before the referral date'),
        ('1104', 'The date of the initial child protection conference cannot be before the referral date'),
        ('1105', 'The child protection plan start date cannot be before the referral date'),
        ('2889', 'The S47 start date cannot be before the referral date.'),
        ('4015', 'The CIN Plan start date cannot be before the referral date')
    ) as dfe (rule_code, message)
)

select
    records_before_referral.la_code,
    records_before_referral.table_name,
    records_before_referral.record_id,
    records_before_referral.column_name,
    records_before_referral.rule_code,
    'warn' as severity,
    messages.message,
    cast(records_before_referral.record_date as {{ dbt.type_string() }}) as value_seen,
    'dfe' as rule_source
from records_before_referral
inner join messages on messages.rule_code = records_before_referral.rule_code
