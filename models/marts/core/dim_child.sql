{#
  One row per child per council. No exact date of birth leaves staging: month of birth only.
#}
with

people as (
    select * from {{ ref('stg_ssd__person') }}
),

disabilities as (
    select
        la_code,
        child_key,
        {{ dbt.bool_or("disability_code <> 'NONE'") }} as has_disability
    from {{ ref('stg_ssd__disability') }}
    group by la_code, child_key
),

joined as (
    select
        people.la_code,
        people.child_key,
        people.sex,
        people.ethnicity_code,
        -- CIN census ethnicity codes start with their group's letter (WBRI, MWBC, ABAN, ...).
        case substring(people.ethnicity_code, 1, 1)
            when 'W' then 'White'
            when 'M' then 'Mixed'
            when 'A' then 'Asian or Asian British'
            when 'B' then 'Black or Black British'
            when 'C' then 'Chinese'
            when 'O' then 'Any other ethnic group'
            when 'N' then 'Not known'
            when 'R' then 'Refused'
            else 'Not known'
        end as ethnicity_group,
        coalesce(disabilities.has_disability, false) as has_disability,
        cast({{ dbt.date_trunc('month', 'people.date_of_birth') }} as date) as birth_month,
        people.date_of_birth is null and people.expected_date_of_birth is not null as is_unborn,
        people.date_of_death is not null as is_deceased
    from people
    left join disabilities
        on disabilities.la_code = people.la_code
        and disabilities.child_key = people.child_key
),

final as (
    select
        la_code,
        child_key,
        sex,
        ethnicity_code,
        ethnicity_group,
        has_disability,
        birth_month,
        is_unborn,
        is_deceased
    from joined
)

select * from final
