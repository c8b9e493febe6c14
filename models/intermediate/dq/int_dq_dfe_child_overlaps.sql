{#
  DfE CIN census rules on a child's overlapping episodes (8820) and CP plans (8940), on the
  whole extract, against the typed staging models (usable rows). Each overlap is a self-join
  within a child, never a correlated subquery; a child has few records, so the join stays
  small. An open record runs to the reporting date, as DfE's run to the census ReferenceDate.
#}
with

episodes as (
    select la_code, referral_id, child_key, referral_date, close_date, is_referral_nfa
    from {{ ref('stg_ssd__cin_episodes') }}
    where child_key is not null and referral_date is not null
),

cp_plans as (
    select la_code, cp_plan_id, child_key, plan_start_date, plan_end_date
    from {{ ref('stg_ssd__cp_plans') }}
    where child_key is not null and plan_start_date is not null
),

spans as (
    select la_code, reporting_date from {{ ref('int_extract_spans') }}
),

-- 8820: a CIN episode's CINreferralDate must not fall (a) on or after another episode's
-- CINreferralDate and before its CINclosureDate, nor (b) on or after the referral date of
-- another episode with no closure date that is not an NFA referral (up to the reporting
-- date). DfE's note: the end date of one referral may be the same as the start date of the
-- next, so the closure date itself is outside the episode (strictly before).
episodes_starting_inside_another as (
    select
        later.la_code,
        later.referral_id,
        later.referral_date,
        min(earlier.referral_id) as overlapped_referral_id
    from episodes as later
    inner join episodes as earlier
        on earlier.la_code = later.la_code
        and earlier.child_key = later.child_key
        and earlier.referral_id <> later.referral_id
        and later.referral_date >= earlier.referral_date
    left join spans
        on spans.la_code = later.la_code
    where (earlier.close_date is not null and later.referral_date < earlier.close_date)
       or (
            earlier.close_date is null
            and not coalesce(earlier.is_referral_nfa, false)
            and later.referral_date <= spans.reporting_date
       )
    group by later.la_code, later.referral_id, later.referral_date
),

overlapping_episodes as (
    select
        la_code, 'ssd_cin_episodes' as table_name, referral_id as record_id,
        'cine_referral_date' as column_name, '8820' as rule_code,
        'The dates on the CIN episodes for this child overlap (this referral starts inside referral '
            || overlapped_referral_id || ')' as message,
        cast(referral_date as {{ dbt.type_string() }}) as value_seen
    from episodes_starting_inside_another
),

-- 8940: a CP plan's CPPstartDate must not fall within another plan of the child, from its
-- CPPstartDate to its CPPendDate, or to the reporting date if it has none. DfE's rule reads
-- the end date as inside the plan, so (unlike 8820) a plan starting on the day another
-- ends is an overlap.
plans_starting_inside_another as (
    select
        later.la_code,
        later.cp_plan_id,
        later.plan_start_date,
        min(earlier.cp_plan_id) as overlapped_cp_plan_id
    from cp_plans as later
    inner join cp_plans as earlier
        on earlier.la_code = later.la_code
        and earlier.child_key = later.child_key
        and earlier.cp_plan_id <> later.cp_plan_id
        and later.plan_start_date >= earlier.plan_start_date
    left join spans
        on spans.la_code = later.la_code
    where (earlier.plan_end_date is not null and later.plan_start_date <= earlier.plan_end_date)
       or (earlier.plan_end_date is null and later.plan_start_date <= spans.reporting_date)
    group by later.la_code, later.cp_plan_id, later.plan_start_date
),

overlapping_cp_plans as (
    select
        la_code, 'ssd_cp_plans' as table_name, cp_plan_id as record_id,
        'cppl_cp_plan_start_date' as column_name, '8940' as rule_code,
        'Child Protection Plan data contains overlapping dates (this plan starts inside plan '
            || overlapped_cp_plan_id || ')' as message,
        cast(plan_start_date as {{ dbt.type_string() }}) as value_seen
    from plans_starting_inside_another
),

rule_failures as (
    select * from overlapping_episodes
    union all select * from overlapping_cp_plans
)

select
    la_code, table_name, record_id, column_name, rule_code, 'warn' as severity, message, value_seen,
    'dfe' as rule_source
from rule_failures
