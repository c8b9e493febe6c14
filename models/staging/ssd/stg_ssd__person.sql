with

base as (
    select * from {{ ref('base_ssd__person') }}
    where _is_usable
),

renamed as (
    select
        la_code,
        _child_key as child_key,
        -- Kept in staging only, for the council's own census return (csc export-cin-census).
        pers_person_id as source_person_id,
        -- The LAchildID the id stands for (a census return's child DfE 8500 or 8510 reports
        -- has a person id of its own: macro cin_census_la_child_id); staging only, like it.
        {{ cin_census_la_child_id('pers_person_id') }} as la_child_id,
        {{ ssd_sex('pers_sex', 'pers_gender') }} as sex,
        -- As written, for the DfE rule on a census return's sex (int_dq_dfe_census_values).
        {{ ssd_clean('pers_sex') }} as sex_as_given,
        {{ ssd_clean('pers_gender') }} as gender_as_given,
        upper(pers_ethnicity) as ethnicity_code,
        -- As written, for the DfE rule on a census return's codes (int_dq_dfe_codes: DfE compares case).
        {{ ssd_clean('pers_ethnicity') }} as ethnicity_as_given,
        {{ ssd_date('pers_dob') }} as date_of_birth,
        {{ ssd_date('pers_expected_dob') }} as expected_date_of_birth,
        {{ ssd_date('pers_death_date') }} as date_of_death,
        -- Kept in staging only, for the census return, like source_person_id.
        upper(pers_upn) as upn,
        pers_upn_unknown as upn_unknown_reason,
        -- Kept in staging only, for the census return (FormerUPN, DfE 1560Q), like upn.
        upper(pers_former_upn) as former_upn
    from base
)

select * from renamed
