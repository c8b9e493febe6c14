{#
  The one table everything else reads: every KPI for every council and period, measured in
  int_kpi_values_measured, with its caveats and the published types. value is not rounded:
  rounding is presentation.
#}
with

measured as (select * from {{ ref('int_kpi_values_measured') }}),

-- Caveat wording lives in the seed kpi_caveats; placeholders in braces are filled in here.
caveat_texts as (
    select
        {%- for code in ['not_recorded', 'optional_not_recorded', 'no_events', 'rereferral_history',
                         'repeat_plan_history', 'no_population', 'population_latest', 'provisional'] %}
        max(case when caveat_code = '{{ code }}' then caveat_text end) as {{ code }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ ref('kpi_caveats') }}
),

{% set text = dbt.type_string() %}
caveated as (
    select
        measured.*,
        {{ concat_ws_compat([
            "case when missing is not null then replace(caveat_texts.not_recorded, '{missing}', missing) end",
            "case when missing is null and optional_missing is not null then replace(caveat_texts.optional_not_recorded, '{optional_missing}', optional_missing) end",
            "case when missing is null and unit = 'percent' and denominator = 0 then caveat_texts.no_events end",
            "case when kpi_code = 'REREFERRALS_12M_PCT' and period_start < " ~ dbt.dateadd('month', 12, 'extract_start_date') ~ " then replace(caveat_texts.rereferral_history, '{extract_start}', cast(extract_start_date as " ~ text ~ ")) end",
            "case when kpi_code = 'CPP_REPEAT_PCT' and period_start < " ~ dbt.dateadd('year', 2, 'extract_start_date') ~ " then replace(caveat_texts.repeat_plan_history, '{extract_start}', cast(extract_start_date as " ~ text ~ ")) end",
            "case when unit = 'per 10000' and missing is null and population_0_17 is null then caveat_texts.no_population end",
            "case when unit = 'per 10000' and population_mid_year < extract(year from period_end) - 1 then replace(caveat_texts.population_latest, '{population_mid_year}', cast(population_mid_year as " ~ text ~ ")) end",
            "case when is_provisional and missing is null then replace(replace(replace(caveat_texts.provisional, '{window}', cast(provisional_window_days as " ~ text ~ ")), '{reporting_date}', cast(reporting_date as " ~ text ~ ")), '{waits_for}', provisional_waits_for) end",
            "case when missing is null then data_quality_note end",
        ]) }} as caveat
    from measured
    cross join caveat_texts
),

final as (
    select
        cast(la_code as {{ dbt.type_string() }}) as la_code,
        cast(kpi_code as {{ dbt.type_string() }}) as kpi_code,
        cast(period_type as {{ dbt.type_string() }}) as period_type,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        cast(numerator as bigint) as numerator,
        cast(denominator as bigint) as denominator,
        cast(value as {{ type_double() }}) as value,
        cast(unit as {{ dbt.type_string() }}) as unit,
        cast(case period_type
            when 'month' then {{ month_label('period_start') }}
            else financial_period_label
        end as {{ dbt.type_string() }}) as period_label,
        cast(is_provisional and missing is null as boolean) as is_provisional,
        cast(caveat as {{ dbt.type_string() }}) as caveat,
        cast(case when unit = 'per 10000' and population_0_17 is not null
            then 'ONS mid-' || cast(population_mid_year as {{ dbt.type_string() }}) || ' estimate, aged 0-17, '
                || population_vintage || ' vintage'
        end as {{ dbt.type_string() }}) as population_basis,
        cast(case when unit = 'per 10000' then population_vintage end as {{ dbt.type_string() }}) as population_vintage,
        -- Two parts of the caveat readers act on, as columns so nobody parses its words: a
        -- required input missing from the extract, and the data-quality sentence.
        cast(missing is null as boolean) as is_recorded,
        cast(case when missing is null then data_quality_note end as {{ dbt.type_string() }}) as data_quality_note
    from caveated
)

select * from final
