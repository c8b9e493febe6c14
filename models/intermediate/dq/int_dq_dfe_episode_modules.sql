{#
  DfE CIN census rules on an episode and the modules it holds (module CINdetails), on the
  census year's return (models/marts/cin_census; int_dq_census_period chooses the year), as
  DfE's validator reads them:
    8610  a referral that was not NFA with no primary need code
    2990  an episode closed RC8 or RC9 (closed after assessment) holding an S47 enquiry, a CP
          plan, a CIN plan or a CINdetails-level initial conference
    8825Q an episode closed RC8 or RC9 holding no assessment
    2991Q an S47 enquiry in an episode holding no assessment (placed at the enquiry)
  Closure reasons count as the return shows them (closed by the ReferenceDate); modules as
  the return holds them (placed in the episode, in the year).
#}
with

census as (
    select la_code, census_year from {{ ref('int_dq_census_period') }}
),

episodes as (
    select episodes.la_code, episodes.census_year, episodes.referral_id, episodes.primary_need_code,
           episodes.is_referral_nfa, episodes.close_reason_code
    from {{ ref('cin_census_episodes') }} as episodes
    inner join census
        on census.la_code = episodes.la_code
        and census.census_year = episodes.census_year
    where episodes.has_person
),

-- every module record the year's return holds, by episode
modules as (
    select la_code, census_year, referral_id, 'assessment' as module, assessment_id as record_id
    from {{ ref('cin_census_assessments') }}
    union all
    select la_code, census_year, referral_id, 's47', s47_enquiry_id from {{ ref('cin_census_s47_enquiries') }}
    union all
    select la_code, census_year, referral_id, 'cp_plan', cp_plan_id from {{ ref('cin_census_cp_plans') }}
    union all
    select la_code, census_year, referral_id, 'cin_plan', cin_plan_id from {{ ref('cin_census_cin_plans') }}
    union all
    select la_code, census_year, referral_id, 'icpc', icpc_id from {{ ref('cin_census_episode_icpcs') }}
    where is_written
),

episode_modules as (
    select
        episodes.la_code,
        episodes.referral_id,
        sum(case when modules.module = 'assessment' then 1 else 0 end) as assessments,
        sum(case when modules.module <> 'assessment' then 1 else 0 end) as other_modules
    from episodes
    left join modules
        on modules.la_code = episodes.la_code
        and modules.census_year = episodes.census_year
        and modules.referral_id = episodes.referral_id
    group by episodes.la_code, episodes.referral_id
),

failures as (
    select la_code, census_year, 'ssd_cin_episodes' as table_name, referral_id as record_id,
           'cine_cin_primary_need_code' as column_name, '8610' as rule_code,
           cast(null as {{ dbt.type_string() }}) as value_seen
    from episodes
    where not is_referral_nfa and primary_need_code is null
    union all
    select episodes.la_code, episodes.census_year, 'ssd_cin_episodes', episodes.referral_id, 'cine_close_reason',
           '2990', cast(null as {{ dbt.type_string() }})
    from episodes
    inner join episode_modules
        on episode_modules.la_code = episodes.la_code and episode_modules.referral_id = episodes.referral_id
    where episodes.close_reason_code in ('RC8', 'RC9') and episode_modules.other_modules > 0
    union all
    select episodes.la_code, episodes.census_year, 'ssd_cin_episodes', episodes.referral_id, 'cine_close_reason',
           '8825Q', cast(null as {{ dbt.type_string() }})
    from episodes
    inner join episode_modules
        on episode_modules.la_code = episodes.la_code and episode_modules.referral_id = episodes.referral_id
    where episodes.close_reason_code in ('RC8', 'RC9') and episode_modules.assessments = 0
    union all
    select modules.la_code, modules.census_year, 'ssd_s47_enquiry', modules.record_id, 's47e_referral_id',
           '2991Q', cast(null as {{ dbt.type_string() }})
    from modules
    inner join episodes
        on episodes.la_code = modules.la_code
        and episodes.census_year = modules.census_year
        and episodes.referral_id = modules.referral_id
    inner join episode_modules
        on episode_modules.la_code = modules.la_code and episode_modules.referral_id = modules.referral_id
    where modules.module = 's47' and episode_modules.assessments = 0
),

{{ csc_dfe_rule_output('failures') }}
