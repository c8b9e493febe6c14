{#
  DfE CIN census rules on open modules of one CIN episode, on the whole extract, against the
  typed staging models and facts (usable rows): 8896, two or more assessments with no
  authorisation date; 8839, two or more S47 enquiries open (no initial conference held and
  not concluded as needing none: dq_s47_awaits_icpc). Every open record of such an episode
  is reported.
#}
with

assessments as (
    select la_code, assessment_id, referral_id, assessment_auth_date
    from {{ ref('stg_ssd__cin_assessments') }}
),

enquiries as (
    select la_code, s47_enquiry_id, referral_id, s47_end_date, outcome_icpc
    from {{ ref('stg_ssd__s47_enquiry') }}
),

enquiry_facts as (
    select la_code, s47_enquiry_id, is_nfa, led_to_icpc
    from {{ ref('fct_s47_enquiries') }}
),

-- 8896: within one CIN episode, at most one assessment may have no
-- AssessmentAuthorisationDate. Every open assessment of such an episode is reported.
open_assessments as (
    select
        la_code,
        assessment_id,
        referral_id,
        count(*) over (partition by la_code, referral_id) as open_in_episode
    from assessments
    where assessment_auth_date is null and referral_id is not null
),

several_open_assessments as (
    select
        la_code,
        'ssd_cin_assessments' as table_name,
        assessment_id as record_id,
        'cina_assessment_auth_date' as column_name,
        '8896' as rule_code,
        'Within one CINDetails group there are 2 or more open Assessments groups ('
            || cast(open_in_episode as {{ dbt.type_string() }})
            || ' assessments of this referral have no authorisation date)' as message,
        cast(null as {{ dbt.type_string() }}) as value_seen
    from open_assessments
    where open_in_episode > 1
),

-- 8839: within one CIN episode, at most one section 47 enquiry may be open: no initial
-- conference held and not concluded as needing none (see dq_s47_awaits_icpc).
open_enquiries as (
    select
        enquiries.la_code,
        enquiries.s47_enquiry_id,
        count(*) over (partition by enquiries.la_code, enquiries.referral_id) as open_in_episode
    from enquiries
    inner join enquiry_facts
        on enquiry_facts.la_code = enquiries.la_code
        and enquiry_facts.s47_enquiry_id = enquiries.s47_enquiry_id
    where enquiries.referral_id is not null
      and {{ dq_s47_awaits_icpc('enquiry_facts.led_to_icpc', 'enquiry_facts.is_nfa', 'enquiries.s47_end_date', 'enquiries.outcome_icpc') }}
),

several_open_enquiries as (
    select
        la_code,
        'ssd_s47_enquiry' as table_name,
        s47_enquiry_id as record_id,
        cast(null as {{ dbt.type_string() }}) as column_name,
        '8839' as rule_code,
        'Within one CINDetails group there are 2 or more open S47 Assessments ('
            || cast(open_in_episode as {{ dbt.type_string() }})
            || ' enquiries of this referral have no conference held and were not concluded without one)' as message,
        cast(null as {{ dbt.type_string() }}) as value_seen
    from open_enquiries
    where open_in_episode > 1
),

rule_failures as (
    select * from several_open_assessments
    union all select * from several_open_enquiries
)

select
    la_code, table_name, record_id, column_name, rule_code, 'warn' as severity, message, value_seen,
    'dfe' as rule_source
from rule_failures
