{#
  Warehouse rule AGE_OVER_25: children's social care ends at 25 (care leavers), so a person
  older than that at a referral means a wrong date of birth, referral date or person link.
  value_seen is the age in whole years, never the date of birth.
#}
with

people as (select la_code, child_key, date_of_birth from {{ ref('stg_ssd__person') }}),
referrals as (select la_code, referral_id, child_key, referral_date from {{ ref('stg_ssd__cin_episodes') }}),

referral_ages as (
    select
        referrals.la_code,
        referrals.referral_id,
        {{ age_in_years('people.date_of_birth', 'referrals.referral_date') }} as age_at_referral
    from referrals
    inner join people
        on people.la_code = referrals.la_code
        and people.child_key = referrals.child_key
    where people.date_of_birth is not null and referrals.referral_date is not null
),

final as (
    select
        la_code,
        'ssd_cin_episodes' as table_name,
        referral_id as record_id,
        'cine_referral_date' as column_name,
        'AGE_OVER_25' as rule_code,
        'the child is over 25 at the referral date (age in whole years in value_seen): the date of birth, the referral date or the person link is wrong' as message,
        -- 'age 26', not '26': a bare number could equal a numeric person id, which the
        -- publication scan (csc.privacy) rightly refuses in any published text column.
        'age ' || cast(age_at_referral as {{ dbt.type_string() }}) as value_seen
    from referral_ages
    where age_at_referral > 25
)

select * from final
