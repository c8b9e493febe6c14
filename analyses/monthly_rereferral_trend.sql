-- Re-referrals within 12 months, month by month, for every council in the file: the KPI as
-- reported (kpi_values) beside a recount from the referral facts, which must agree.
-- Months whose referrals have less than 12 months of history before them carry a caveat.
with reported as (
    select la_code, period_start, period_end, numerator, denominator, value, caveat
    from marts.kpi_values
    where kpi_code = 'REREFERRALS_12M_PCT'
      and period_type = 'month'
),

recounted as (
    select
        la_code,
        date_trunc('month', referral_date) as period_start,
        count(*) as referrals,
        count(*) filter (where is_rereferral_12m) as rereferrals
    from marts.fct_referrals
    group by la_code, date_trunc('month', referral_date)
)

select
    reported.la_code,
    reported.period_end as month_end,
    reported.numerator as rereferrals,
    reported.denominator as referrals,
    round(reported.value, 1) as rereferral_pct,
    -- The same month a year earlier, for a year-on-year view.
    round(lag(reported.value, 12) over (partition by reported.la_code order by reported.period_end), 1)
        as rereferral_pct_a_year_earlier,
    recounted.rereferrals as recounted_rereferrals,
    recounted.referrals as recounted_referrals,
    reported.caveat
from reported
left join recounted
    on recounted.la_code = reported.la_code
    and recounted.period_start = reported.period_start
order by reported.la_code, reported.period_end;
