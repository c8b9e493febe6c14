{#
  DfE CIN census rule 2885: a CP plan starting in the census year (int_dq_census_period) must
  start on the day of an initial conference of its CIN episode; against the typed staging
  models (usable rows). SSD offers three links from a plan to its conferences: the plan's
  icpc_id, the conference's cp_plan_id, and the same referral for the same child (a
  conference without a referral takes its enquiry's); each is an equi-join, and a plan may
  come through more than one. A plan held by another authority (cppl_cp_plan_ola) has no
  conference held by this council, so it is left out.
#}
with

cp_plans as (
    select la_code, cp_plan_id, referral_id, icpc_id, child_key, plan_start_date, is_other_la_plan
    from {{ ref('stg_ssd__cp_plans') }}
),

census as (
    select la_code, census_start_date, reference_date from {{ ref('int_dq_census_period') }}
),

conferences_with_referral as (
    select conferences.la_code, conferences.icpc_id, conferences.child_key, conferences.cp_plan_id,
           conferences.icpc_date, coalesce(conferences.referral_id, enquiries.referral_id) as referral_id
    from {{ ref('stg_ssd__initial_cp_conference') }} as conferences
    left join {{ ref('stg_ssd__s47_enquiry') }} as enquiries
        on enquiries.la_code = conferences.la_code
        and enquiries.s47_enquiry_id = conferences.s47_enquiry_id
),

plan_conference_links as (
    select cp_plans.la_code, cp_plans.cp_plan_id, conferences.icpc_date
    from cp_plans
    inner join conferences_with_referral as conferences
        on conferences.la_code = cp_plans.la_code
        and conferences.icpc_id = cp_plans.icpc_id
    union all
    select cp_plans.la_code, cp_plans.cp_plan_id, conferences.icpc_date
    from cp_plans
    inner join conferences_with_referral as conferences
        on conferences.la_code = cp_plans.la_code
        and conferences.cp_plan_id = cp_plans.cp_plan_id
    union all
    select cp_plans.la_code, cp_plans.cp_plan_id, conferences.icpc_date
    from cp_plans
    inner join conferences_with_referral as conferences
        on conferences.la_code = cp_plans.la_code
        and conferences.referral_id = cp_plans.referral_id
        and conferences.child_key = cp_plans.child_key
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
    where cp_plans.plan_start_date between census.census_start_date and census.reference_date
      and not coalesce(cp_plans.is_other_la_plan, false)
    group by cp_plans.la_code, cp_plans.cp_plan_id, cp_plans.plan_start_date
)

select
    la_code,
    'ssd_cp_plans' as table_name,
    cp_plan_id as record_id,
    'cppl_cp_plan_start_date' as column_name,
    '2885' as rule_code,
    'warn' as severity,
    case
        when linked_conference_dates = 0
            then 'Child protection plan shown as starting a different day to the initial child protection conference. (no conference with a date is linked to this plan)'
        else 'Child protection plan shown as starting a different day to the initial child protection conference.'
    end as message,
    cast(plan_start_date as {{ dbt.type_string() }}) as value_seen,
    'dfe' as rule_source
from plan_conference_match
where conferences_on_start_day = 0
