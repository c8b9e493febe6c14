-- Pins the JSON macros (csc_json_is_shape, csc_json_get_text, csc_json_factor_codes) to the
-- same answers on DuckDB and Spark: objects, arrays of codes, arrays holding anything but
-- text, empty and malformed JSON, yes words in any case. Factor codes are compared as the
-- sorted codes joined with commas. Not pinned: an object with a key twice (DuckDB counts
-- the first value twice, Spark's from_json keeps the last once). Returns each example that differs.
with

examples as (

    select case_name, raw_json, is_object, is_object_or_codes, nfa_flag, codes
    from (
        values
            ('object', '{"NFA_FLAG": "Y", "2B": "Yes", "4B": "No"}', true, true, 'Y', '2B,NFA_FLAG'),
            ('object, yes words in any case and blanks', '{" 2b ": " YES ", "3A": "true", "1C": "n"}', true, true, null, '2B,3A'),
            ('object with a number and a nested value', '{"NFA_FLAG": 1, "2B": {"x": 1}}', true, true, '1', 'NFA_FLAG'),
            ('empty object', '{}', true, true, null, ''),
            ('array of codes', '["2B", " 4b "]', false, true, null, '2B,4B'),
            ('empty array', '[]', false, true, null, ''),
            ('array with a number', '["2B", 1]', false, false, null, '1,2B'),
            ('array with a null', '["2B", null]', false, false, null, '2B'),
            ('array with an array', '["2B", ["4B"]]', false, false, null, '2B,["4B"]'),
            ('a number', '42', false, false, null, null),
            ('a string', '"Y"', false, false, null, null),
            ('JSON null', 'null', false, false, null, null),
            ('malformed', '{"NFA_FLAG": "Y"', false, false, null, null),
            ('not JSON', 'Y', false, false, null, null),
            ('empty text', '', false, false, null, null)
    ) as cases (case_name, raw_json, is_object, is_object_or_codes, nfa_flag, codes)  -- noqa: AL05

),

yes_words as (
    {{ ssd_flag_words(true) }}
),

coded as (

    select
        examples.case_name,
        {{ csc_json_factor_codes('examples.raw_json', 'yes_words.words') }} as factor_codes,
        {{ csc_json_factor_codes('examples.raw_json', 'yes_words.words') }} is null as has_no_list
    from examples
    cross join yes_words

),

code_rows as (

    select case_name, {{ csc_unnest('factor_codes') }} as factor_code
    from coded

),

joined_codes as (

    select
        coded.case_name,
        case when not coded.has_no_list
            then coalesce(
                {{ dbt.listagg('code_rows.factor_code', "','", 'order by code_rows.factor_code') }}, '')
        end as codes
    from coded
    left join code_rows
        on code_rows.case_name = coded.case_name
    group by coded.case_name, coded.has_no_list

),

calculated as (

    select
        examples.case_name,
        {{ csc_json_is_shape('examples.raw_json', ['OBJECT']) }} as actual_is_object,
        {{ csc_json_is_shape('examples.raw_json', ['OBJECT', 'ARRAY']) }} as actual_is_object_or_codes,
        {{ csc_json_get_text('examples.raw_json', 'NFA_FLAG') }} as actual_nfa_flag,
        joined_codes.codes as actual_codes,
        examples.is_object,
        examples.is_object_or_codes,
        examples.nfa_flag,
        examples.codes
    from examples
    inner join joined_codes
        on joined_codes.case_name = examples.case_name

),

failures as (

    select *
    from calculated
    where actual_is_object <> is_object
        or actual_is_object_or_codes <> is_object_or_codes
        or coalesce(actual_nfa_flag, 'null') <> coalesce(nfa_flag, 'null')
        or coalesce(actual_codes, 'null') <> coalesce(codes, 'null')

)

select * from failures
