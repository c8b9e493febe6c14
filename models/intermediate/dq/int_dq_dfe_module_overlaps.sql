{#
  DfE CIN census rules on two assessments or two S47 enquiries of one episode running at
  once, on the census year's return as the export writes it, as DfE's validator reads them:
    8863Q an assessment starting on or after another's start and on or before its
          authorisation (or, that one still open, on or before the ReferenceDate)
    8890  an S47 enquiry starting on or after another's start and on or before its initial
          conference (or, with neither conference nor ICPCnotRequired, on or before the
          ReferenceDate)
  Two records with the same start and the same end (authorisation; conference) are one
  record twice, not an overlap. Placed at the later record.
#}
with

census as (
    select la_code, census_year, reference_date from {{ ref('int_dq_census_period') }}
),

episodes as (
    select la_code, census_year, referral_id from {{ ref('cin_census_episodes') }} where has_person
),

modules as (
    select assessments.la_code, assessments.census_year, assessments.referral_id,
           'ssd_cin_assessments' as table_name, assessments.assessment_id as record_id,
           assessments.assessment_start_date as start_date, assessments.assessment_auth_date as end_date,
           false as is_closed_without_end
    from {{ ref('cin_census_assessments') }} as assessments
    union all
    select la_code, census_year, referral_id, 'ssd_s47_enquiry', s47_enquiry_id, s47_start_date, icpc_date,
           is_icpc_not_required
    from {{ ref('cin_census_s47_enquiries') }}
),

modules_in_return as (
    select modules.*, census.reference_date
    from modules
    inner join episodes
        on episodes.la_code = modules.la_code
        and episodes.census_year = modules.census_year
        and episodes.referral_id = modules.referral_id
    inner join census
        on census.la_code = modules.la_code
        and census.census_year = modules.census_year
    where modules.start_date is not null
),

overlapping as (
    select distinct later.la_code, later.census_year, later.table_name, later.record_id, later.start_date
    from modules_in_return as later
    inner join modules_in_return as earlier
        on earlier.la_code = later.la_code
        and earlier.census_year = later.census_year
        and earlier.referral_id = later.referral_id
        and earlier.table_name = later.table_name
    where not (earlier.start_date = later.start_date
               and coalesce(earlier.end_date = later.end_date, earlier.end_date is null and later.end_date is null))
      and later.start_date >= earlier.start_date
      and (later.start_date <= earlier.end_date
           or earlier.end_date is null and not earlier.is_closed_without_end
           and later.start_date <= later.reference_date)
),

failures as (
    select la_code, census_year, table_name, record_id,
           case when table_name = 'ssd_cin_assessments' then 'cina_assessment_start_date'
               else 's47e_s47_start_date' end as column_name,
           case when table_name = 'ssd_cin_assessments' then '8863Q' else '8890' end as rule_code,
           cast(start_date as {{ dbt.type_string() }}) as value_seen
    from overlapping
),

{{ csc_dfe_rule_output('failures') }}
