with

base as (
    select * from {{ ref('base_ssd__person') }}
    where _is_usable
),

-- Sex is looked up in the value maps once per distinct pair of texts, not per person: as a
-- lookup per row, DuckDB materialises every person row twice to decorrelate it (superlinear
-- at England size). Joined back on the texts, a missing text matching a missing one.
sex_texts as (
    select distinct pers_sex, pers_gender from base
),

sexes as (
    select
        coalesce(pers_sex, '') as sex_text,
        pers_sex is null as sex_missing,
        coalesce(pers_gender, '') as gender_text,
        pers_gender is null as gender_missing,
        {{ ssd_sex('pers_sex', 'pers_gender') }} as sex
    from sex_texts
),

-- Parsing a date (regular expressions) is costly too, and the date columns repeat a few
-- thousand texts over a million people: each distinct text is parsed once.
date_texts as (
    select pers_dob as date_text from base where pers_dob is not null
    union
    select pers_expected_dob from base where pers_expected_dob is not null
    union
    select pers_death_date from base where pers_death_date is not null
),

parsed_dates as (
    select date_text, {{ ssd_date('date_text') }} as parsed_date
    from date_texts
),

renamed as (
    select
        base.la_code,
        base._child_key as child_key,
        -- Kept in staging only, for the council's own census return (csc export-cin-census).
        base.pers_person_id as source_person_id,
        -- The LAchildID the id stands for (a census return's child DfE 8500 or 8510 reports
        -- has a person id of its own: macro cin_census_la_child_id); staging only, like it.
        {{ cin_census_la_child_id('base.pers_person_id') }} as la_child_id,
        sexes.sex,
        -- As written, for the DfE rule on a census return's sex (int_dq_dfe_census_values).
        {{ ssd_clean('base.pers_sex') }} as sex_as_given,
        {{ ssd_clean('base.pers_gender') }} as gender_as_given,
        upper(base.pers_ethnicity) as ethnicity_code,
        -- As written, for the DfE rule on a census return's codes (int_dq_dfe_codes: DfE compares case).
        {{ ssd_clean('base.pers_ethnicity') }} as ethnicity_as_given,
        dob.parsed_date as date_of_birth,
        expected_dob.parsed_date as expected_date_of_birth,
        death_date.parsed_date as date_of_death,
        -- Kept in staging only, for the census return, like source_person_id.
        upper(base.pers_upn) as upn,
        base.pers_upn_unknown as upn_unknown_reason,
        -- Kept in staging only, for the census return (FormerUPN, DfE 1560Q), like upn.
        upper(base.pers_former_upn) as former_upn
    from base
    left join sexes
        on sexes.sex_text = coalesce(base.pers_sex, '')
        and sexes.sex_missing = (base.pers_sex is null)
        and sexes.gender_text = coalesce(base.pers_gender, '')
        and sexes.gender_missing = (base.pers_gender is null)
    left join parsed_dates as dob on dob.date_text = base.pers_dob
    left join parsed_dates as expected_dob on expected_dob.date_text = base.pers_expected_dob
    left join parsed_dates as death_date on death_date.date_text = base.pers_death_date
)

select * from renamed
