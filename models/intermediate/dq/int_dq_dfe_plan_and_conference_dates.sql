{#
  DfE CIN census rules on CIN plan dates and the day of an initial conference, on the census
  year's return as the export writes it (models/marts/cin_census), as DfE's validator reads
  them:
    4004  two or more CIN plans of one episode open (no end date) at the ReferenceDate: each
          open plan of the episode fails
    4012Q a CIN plan starting and ending on the same day
    8875  an S47 enquiry whose initial conference (DateOfInitialCPC) is on a Saturday or Sunday
  Placed at the CIN plan (ssd_cin_plans) or the S47 enquiry (ssd_s47_enquiry).
#}
with

census as (
    select la_code, census_year, ruleset_year from {{ ref('int_dq_census_period') }}
),

episodes as (
    select la_code, census_year, referral_id from {{ ref('cin_census_episodes') }} where has_person
),

cin_plans as (
    select plans.la_code, plans.census_year, plans.referral_id, plans.cin_plan_id, plans.plan_start_date,
           plans.plan_end_date
    from {{ ref('cin_census_cin_plans') }} as plans
    inner join episodes
        on episodes.la_code = plans.la_code
        and episodes.census_year = plans.census_year
        and episodes.referral_id = plans.referral_id
),

enquiries as (
    select enquiries.la_code, enquiries.census_year, enquiries.s47_enquiry_id, enquiries.icpc_date
    from {{ ref('cin_census_s47_enquiries') }} as enquiries
    inner join episodes
        on episodes.la_code = enquiries.la_code
        and episodes.census_year = enquiries.census_year
        and episodes.referral_id = enquiries.referral_id
),

calendar as (
    select date_day, is_weekend from {{ ref('dim_date') }}
),

episodes_with_open_plans as (
    select la_code, census_year, referral_id
    from cin_plans
    where plan_end_date is null
    group by la_code, census_year, referral_id
    having count(*) > 1
),

failures as (
    select cin_plans.la_code, cin_plans.census_year, 'ssd_cin_plans' as table_name,
           cin_plans.cin_plan_id as record_id, 'cinp_cin_plan_end_date' as column_name, '4004' as rule_code,
           cast(cin_plans.plan_start_date as {{ dbt.type_string() }}) as value_seen
    from cin_plans
    inner join episodes_with_open_plans as open_plans
        on open_plans.la_code = cin_plans.la_code
        and open_plans.census_year = cin_plans.census_year
        and open_plans.referral_id = cin_plans.referral_id
    where cin_plans.plan_end_date is null
    union all
    select la_code, census_year, 'ssd_cin_plans', cin_plan_id, 'cinp_cin_plan_end_date', '4012Q',
           cast(plan_end_date as {{ dbt.type_string() }})
    from cin_plans
    where plan_start_date = plan_end_date
    union all
    select enquiries.la_code, enquiries.census_year, 'ssd_s47_enquiry', enquiries.s47_enquiry_id,
           'icpc_icpc_date', '8875', cast(enquiries.icpc_date as {{ dbt.type_string() }})
    from enquiries
    inner join calendar on calendar.date_day = enquiries.icpc_date
    where calendar.is_weekend
),

rules as (
    select census.la_code, census.census_year, dfe_rules.rule_code, dfe_rules.message
    from census
    inner join {{ ref('dfe_cin_rules') }} as dfe_rules on dfe_rules.collection_year = census.ruleset_year
)

select
    failures.la_code,
    failures.table_name,
    failures.record_id,
    failures.column_name,
    failures.rule_code,
    'warn' as severity,
    rules.message,
    failures.value_seen,
    'dfe' as rule_source
from failures
inner join rules
    on rules.la_code = failures.la_code
    and rules.census_year = failures.census_year
    and rules.rule_code = failures.rule_code
