"""The simulation's calibrated rates: volumes and flow of the default extract (Devon,
2013-04-01 to 2016-09-30), and how often a row is written in another style or with a blank."""

from __future__ import annotations

REFERRALS_PER_CHILD = 0.0458  # scale="la": referrals a year per child aged 0-17
ENGLAND_REFERRALS_PER_YEAR = 650_000  # scale="england": shared out by population
WARM_UP_YEARS = 3
HISTORY_DAYS = 365  # episodes closed this long before `start` are still written
LONG_RUN_LOOKBACK_YEARS = 18

# Arrivals a year, as shares of the council's referrals a year.
NEW_CHILD_SHARE = 0.58  # children referred for the first time (re-referrals come on top)
SHORT_BREAK_SHARE = 0.041  # disabled children opened for a short-break budget only
LONG_TERM_SHARE = 0.028  # children who stay open for years (looked after)
CONTACT_ONLY_SHARE = 1.3  # children with contacts that never lead to a referral
EXISTING_CONTACTS_PER_YEAR = 0.6  # contacts a year about a child whose episode is open

P_TRANSFER_IN = 0.007  # first referrals that are a transfer-in conference
P_REFERRAL_NFA = 0.09
P_S47 = 0.35  # assessed referrals with a strategy discussion and S47
P_S47_AFTER_PLAN = 0.6  # ... for a child who has had a CP plan
P_STRATEGY_AT_REFERRAL = 0.4  # S47s started straight from the referral
P_ICPC = 0.40  # S47s leading to an initial conference
P_ICPC_AFTER_PLAN = 0.65
P_PLAN_AT_ICPC = 0.88
P_CIN_PLAN_AT_ICPC = 0.08
P_S47_NFA = 0.55  # of S47s not leading to a conference
P_ASSESSMENT_NFA = 0.68  # of assessments without an S47
P_CIN_PLAN = 0.23  # of assessments without an S47
P_EARLY_HELP_STEP_DOWN = 0.25  # of NFA assessments
P_STEP_DOWN_AFTER_PLAN = 0.55
P_PRIOR_PLAN = 0.045  # children arriving with a CP plan in their past
P_REREFERRAL_AFTER_SHORT = 0.45  # episodes closed within SHORT_EPISODE_DAYS of the referral
P_REREFERRAL_AFTER_LONG = 0.33
SHORT_EPISODE_DAYS = 120
REVIEWS_BEFORE_PLAN_ENDS = ((0, 6), (1, 17), (2, 53), (3, 16), (4, 5), (5, 2), (6, 1))
SHORT_BREAK_MEAN_YEARS = 8
LONG_TERM_MEAN_YEARS = 5
P_BLANK_OPTIONAL = 1 / 8  # rows with one optional field left blank
P_OTHER_STYLE = 0.06  # rows written in another accepted date / flag style than the file's
