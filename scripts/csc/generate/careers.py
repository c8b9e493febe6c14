"""Case flows: one council's simulation, deciding each child's career (referrals,
assessments, enquiries, conferences, plans, closures, re-referrals) and writing it through
`ssd_rows.SsdRows` as it is decided."""

from __future__ import annotations

import random

from .cases import Assessment, Child, Conference, CpPlan, EarlyHelp, Enquiry, Episode
from .codes import (
    AGE_AT_FIRST_REFERRAL,
    AGE_LONG_TERM,
    AGE_SHORT_BREAK,
    ASSESSMENT_FACTORS,
    CLOSE_REASONS,
    CLOSED_AFTER_ASSESSMENT,
    CP_CATEGORIES,
    DISABILITIES,
    EARLY_HELP_END_REASONS,
    EARLY_HELP_ORGANISATIONS,
    EARLY_HELP_PURPOSES,
    EARLY_HELP_REASONS,
    EARLY_HELP_SOURCE_FROM,
    ETHNICITY_ENGLAND,
    ETHNICITY_LONDON,
    LONDON_LA_CODES,
    LONG_TERM_CLOSE_REASONS,
    PRIMARY_NEEDS,
    REFERRAL_SOURCES,
    SHORT_BREAK_CLOSE_REASONS,
    SHORT_BREAK_SOURCES,
    TRANSFER_IN_SOURCE,
    UPN_UNKNOWN,
    Weighted,
)
from .options import Options
from .parameters import (
    CONTACT_ONLY_SHARE,
    HISTORY_DAYS,
    LONG_RUN_LOOKBACK_YEARS,
    LONG_TERM_MEAN_YEARS,
    LONG_TERM_SHARE,
    NEW_CHILD_SHARE,
    P_ASSESSMENT_NFA,
    P_CIN_PLAN,
    P_CIN_PLAN_AT_ICPC,
    P_EARLY_HELP_STEP_DOWN,
    P_ICPC,
    P_ICPC_AFTER_PLAN,
    P_PLAN_AT_ICPC,
    P_PRIOR_PLAN,
    P_REFERRAL_NFA,
    P_REREFERRAL_AFTER_LONG,
    P_REREFERRAL_AFTER_SHORT,
    P_S47,
    P_S47_AFTER_PLAN,
    P_S47_NFA,
    P_STEP_DOWN_AFTER_PLAN,
    P_STRATEGY_AT_REFERRAL,
    P_TRANSFER_IN,
    REVIEWS_BEFORE_PLAN_ENDS,
    SHORT_BREAK_MEAN_YEARS,
    SHORT_BREAK_SHARE,
    SHORT_EPISODE_DAYS,
    WARM_UP_YEARS,
)
from .ssd_rows import SsdRows
from .working_days import Calendar
from .writers import Extract


class Council(SsdRows):
    """One council's simulation, written to its Extract as each child's career is decided."""

    def __init__(
        self, la_code: str, referrals: float, options: Options, calendar: Calendar, rng: random.Random, out: Extract
    ) -> None:
        self.referrals, self.options, self.la_code = referrals, options, la_code
        self.cal, self.out = calendar, out
        self.rnd, self.expo = rng.random, rng.expovariate
        self.none_rng = random.Random(f"{options.seed}:{la_code}:disability NONE")  # SsdRows._write_person
        self.start, self.end = options.start.toordinal(), options.end.toordinal()
        self.written_from = self.start - HISTORY_DAYS  # episodes open from here on are written
        self.ids: dict[str, int] = {}
        self.w = {
            k: Weighted(v)
            for k, v in {
                "source": [(c, w) for c, w, _ in REFERRAL_SOURCES if c != "5D"],
                "source_5d": [(c, w) for c, w, _ in REFERRAL_SOURCES],
                "short_break_source": SHORT_BREAK_SOURCES,
                "need": PRIMARY_NEEDS,
                "close": CLOSE_REASONS,
                "long_term_close": LONG_TERM_CLOSE_REASONS,
                "short_break_close": SHORT_BREAK_CLOSE_REASONS,
                "category": CP_CATEGORIES,
                "factor": ASSESSMENT_FACTORS,
                "disability": DISABILITIES,
                "upn": UPN_UNKNOWN,
                "ethnicity": ETHNICITY_LONDON if int(la_code) in LONDON_LA_CODES else ETHNICITY_ENGLAND,
                "age": AGE_AT_FIRST_REFERRAL,
                "age_short_break": AGE_SHORT_BREAK,
                "age_long_term": AGE_LONG_TERM,
                "reviews": REVIEWS_BEFORE_PLAN_ENDS,
                "eh_purpose": EARLY_HELP_PURPOSES,
                "eh_reason": EARLY_HELP_REASONS,
                "eh_end_reason": EARLY_HELP_END_REASONS,
                "eh_organisation": EARLY_HELP_ORGANISATIONS,
            }.items()
        }

    # -- the run ---------------------------------------------------------------------------

    def run(self) -> None:
        self._ordinary_careers()
        self._long_running_careers(SHORT_BREAK_SHARE, short_break=True)
        self._long_running_careers(LONG_TERM_SHARE, short_break=False)
        self._contact_only_careers()

    def _arrivals(self, share: float, first: int, working_days: bool = True) -> list[int]:
        """Days of arrivals at `share` of the council's referrals a year, from `first` to end."""
        expected = share * self.referrals * self.options.size * (self.end - first + 1) / 365.25
        n = int(expected) + (self.rnd() < expected % 1)
        sample = self.cal.sample_working_days if working_days else self.cal.sample_days
        return sample(first, self.end, n, self.rnd)

    def _ordinary_careers(self) -> None:
        first = self.start - round(WARM_UP_YEARS * 365.25)
        for referral in self._arrivals(NEW_CHILD_SHARE, first):
            child = self._child(referral, self.w["age"])
            episodes = [self._episode(child, referral, first=True)]
            while (referral := self._rereferral(child, episodes[-1])) is not None:
                episodes.append(self._episode(child, referral, first=False))
            self._write_career(child, episodes)

    def _long_running_careers(self, share: float, short_break: bool) -> None:
        first = self.start - round(LONG_RUN_LOOKBACK_YEARS * 365.25)
        ages = self.w["age_short_break" if short_break else "age_long_term"]
        mean_days = 365.25 * (SHORT_BREAK_MEAN_YEARS if short_break else LONG_TERM_MEAN_YEARS)
        for referral in self._arrivals(share, first):
            close = referral + 1 + int(self.expo(1 / mean_days))
            if close < self.written_from:
                continue  # closed before the extract: never written, so not simulated further
            child = self._child(referral, ages)
            if short_break:
                child.disabilities = self._disabilities(1 + int(self.rnd() * 3))
            episode = self._long_running_episode(child, referral, close, short_break)
            self._write_career(child, [episode])

    def _contact_only_careers(self) -> None:
        for day in self._arrivals(CONTACT_ONLY_SHARE, self.start, working_days=False):
            child = self._child(day, self.w["age"], born=True)
            while day <= self.end and day < child.eighteenth:
                self._write_other_contact(child, day)
                if self.rnd() > 0.25:
                    break
                day += 7 + int(self.expo(1 / 120))
            self._write_person(child)

    # -- children ---------------------------------------------------------------------------

    def _child(self, day: int, ages: Weighted, born: bool = False) -> Child:
        """A child first known on `day`, of an age drawn from `ages` (-1: unborn, unless `born`)."""
        age = ages.pick(self.rnd)
        r = self.rnd
        if age < 0 and not born:
            dob = day + 14 + int(r() * 160)
            child = Child(
                dob=dob, sex="U", ethnicity=self.w["ethnicity"].pick(r), expected_dob=dob + int(r() * 21) - 10
            )
            if dob <= self.end:
                child.sex = "M" if r() < 0.51 else "F"
        else:
            dob = day - int((max(age, 0) + r() * 0.98) * 365.25)
            sex = "U" if r() < 0.01 else ("M" if r() < 0.51 else "F")
            child = Child(dob=dob, sex=sex, ethnicity=self.w["ethnicity"].pick(r))
        if r() < 0.05:
            child.upn_unknown = self.w["upn"].pick(r)
        if r() < P_PRIOR_PLAN:
            child.plans = 1
        if r() < 0.06:
            child.disabilities = self._disabilities(1 + int(r() * 2))
        elif r() < 0.12:
            child.disabilities = ["NONE"]
        return child

    def _disabilities(self, n: int) -> list[str]:
        codes: list[str] = []
        while len(codes) < n:
            code = self.w["disability"].pick(self.rnd)
            if code not in codes:
                codes.append(code)
        return codes

    # -- an ordinary episode ----------------------------------------------------------------

    def _episode(self, child: Child, referral: int, first: bool) -> Episode:
        r = self.rnd
        ep = Episode(
            referral=referral,
            contact=referral - (0, 0, 0, 0, 0, 0, 1, 1, 2, 3)[int(r() * 10)],
            source=self._source(referral),
            need=self.w["need"].pick(r),
        )
        if first and r() < P_TRANSFER_IN:
            ep.source = TRANSFER_IN_SOURCE
            when = self.cal.add(referral, 2 + int(r() * 12))
            ep.conference = Conference(date=when, target=self.cal.add(referral, 15), transfer_in=True)
            self._conference_outcome(ep, child)
        elif r() < P_REFERRAL_NFA:
            ep.nfa = True
            self._close(ep, child, referral, "RC8")
        else:
            ep.assessment = self._assessment(referral)
            had_plan = child.plans > 0
            if r() < (P_S47_AFTER_PLAN if had_plan else P_S47):
                self._enquiry(ep, child, had_plan)
            else:
                self._assessment_outcome(ep, child)
        return ep

    def _source(self, referral: int) -> str:
        table = "source_5d" if referral >= EARLY_HELP_SOURCE_FROM.toordinal() else "source"
        return self.w[table].pick(self.rnd)

    def _assessment(self, referral: int) -> Assessment:
        start = self.cal.add(referral, self._days_to_assessment())
        return Assessment(start=start, auth=self.cal.add(start, self._assessment_days()), child_seen=self.rnd() < 0.94)

    def _days_to_assessment(self) -> int:
        """Working days from referral to assessment start: mostly the same or the next day."""
        r, u = self.rnd(), self.rnd()
        if r < 0.45:
            return 0
        if r < 0.70:
            return 1
        return 2 + int(u * 4) if r < 0.95 else 6 + int(u * 10)

    def _assessment_days(self) -> int:
        """Working days from start to authorisation: ~25% within 15, ~87% within 45."""
        r, u = self.rnd(), self.rnd()
        if r < 0.25:
            return 2 + int(u * 14)
        if r < 0.70:
            return 16 + int(u * 25)
        if r < 0.87:
            return 41 + int(u * 5)
        return 46 + int(self.expo(1 / 18))

    def _assessment_outcome(self, ep: Episode, child: Child) -> None:
        a, r = ep.assessment, self.rnd()
        if r < P_ASSESSMENT_NFA:
            a.nfa = True
            a.early_help = self.rnd() < P_EARLY_HELP_STEP_DOWN
            if a.early_help:
                ep.early_help = self._early_help(a.auth + 5 + int(self.rnd() * 25))
            self._close(ep, child, self.cal.add(a.auth, int(self.rnd() * 6)), "RC8")
        elif r < P_ASSESSMENT_NFA + P_CIN_PLAN:
            a.cin_plan = True
            end = self._cin_plan(ep, self.cal.add(a.auth, int(self.rnd() * 11)), 90, 540)
            self._close(ep, child, end + int(self.rnd() * 21))
        else:
            a.services = True
            self._close(ep, child, a.auth + 60 + int(self.rnd() * 210))

    def _enquiry(self, ep: Episode, child: Child, had_plan: bool) -> None:
        a, r, cal = ep.assessment, self.rnd, self.cal
        if r() < P_STRATEGY_AT_REFERRAL:
            ep.strategy_at_referral = True
            start = cal.add(ep.referral, int(r() * 2))
        else:
            a.strategy = True
            start = cal.add(a.start, 1 + int(r() * min(15, cal.count(a.start, a.auth))))
        s47 = ep.enquiry = Enquiry(start=start)
        if r() < (P_ICPC_AFTER_PLAN if had_plan else P_ICPC):
            gap = self._icpc_days()
            s47.icpc = True
            s47.end = cal.add(start, max(1, gap - int(r() * 5)))
            ep.conference = Conference(date=cal.add(start, gap), target=cal.add(start, 15))
            self._conference_outcome(ep, child)
        elif r() < P_S47_NFA:
            s47.nfa = a.nfa = True
            s47.end = cal.add(start, 3 + int(r() * 23))
            self._close(ep, child, cal.add(max(s47.end, a.auth), int(r() * 6)), "RC8")
        else:
            s47.continue_cin = a.cin_plan = True
            s47.end = cal.add(start, 3 + int(r() * 23))
            end = self._cin_plan(ep, cal.add(max(s47.end, a.auth), int(r() * 6)), 90, 450)
            self._close(ep, child, end + int(r() * 21))

    def _icpc_days(self) -> int:
        """Working days from strategy discussion to conference: ~77% within 15."""
        r, u = self.rnd(), self.rnd()
        if r < 0.15:
            return 5 + int(u * 5)
        if r < 0.77:
            return 10 + int(u * 6)
        if r < 0.95:
            return 16 + int(u * 5)
        return 21 + int(u * 15)

    def _conference_outcome(self, ep: Episode, child: Child) -> None:
        conf, r = ep.conference, self.rnd()
        if r < P_PLAN_AT_ICPC:
            conf.plan = True
            plan = ep.plan = self._cp_plan(child, conf.date)
            if self.rnd() < P_STEP_DOWN_AFTER_PLAN:
                end = self._cin_plan(ep, plan.end, 90, 300)
                self._close(ep, child, end + int(self.rnd() * 21))
            else:
                self._close(ep, child, plan.end + int(self.rnd() * 11))
        elif r < P_PLAN_AT_ICPC + P_CIN_PLAN_AT_ICPC:
            conf.cin_plan = True
            end = self._cin_plan(ep, conf.date, 90, 365)
            self._close(ep, child, end + int(self.rnd() * 21))
        else:
            self._close(ep, child, self.cal.add(conf.date, int(self.rnd() * 6)), "RC8")

    def _cp_plan(self, child: Child, start: int) -> CpPlan:
        """A plan reviewed ~3 months after it starts, then every ~6 months, ending at a review."""
        r, cal = self.rnd, self.cal
        reviews, last = [], start
        for k in range(self.w["reviews"].pick(r)):
            due = cal.on_or_before(last + (91 if k == 0 else 182))
            held = cal.on_or_after(due + 1 + int(r() * 15)) if r() < 0.08 else cal.on_or_before(due - int(r() * 15))
            reviews.append((due, held))
            last = held
        end = reviews[-1][1] if reviews else cal.add(start, 10 + int(r() * 45))
        initial = self.w["category"].pick(r)
        latest = self.w["category"].pick(r) if r() < 0.12 else initial
        plan = CpPlan(
            start=start, end=end, initial=initial, latest=latest, previous=child.plans, reviews=reviews, ola=r() < 0.02
        )
        child.plans += 1
        return plan

    def _cin_plan(self, ep: Episode, start: int, shortest: int, longest: int) -> int:
        end = self.cal.on_or_after(start + shortest + int(self.rnd() * (longest - shortest)))
        ep.cin_plans.append((start, end))
        return end

    def _close(self, ep: Episode, child: Child, day: int, reason: str | None = None) -> None:
        """Close the episode on `day`, or later if its assessment or enquiry is still going."""
        ep.close = max(
            day, ep.referral, ep.assessment.auth if ep.assessment else 0, ep.enquiry.end if ep.enquiry else 0
        )
        if reason is None:
            reason = self.w["close"].pick(self.rnd)
        if reason in CLOSED_AFTER_ASSESSMENT and (ep.enquiry or ep.conference or ep.plan or ep.cin_plans):
            # DfE 2990: RC8/RC9 (closed after assessment) only for an episode with no S47
            # enquiry, conference or plan; services ceased for another reason otherwise
            reason = "RC7"
        if ep.close >= child.eighteenth:
            reason = "RC6"
        elif reason == "RC2":
            child.death = ep.close
        ep.close_reason = reason

    def _rereferral(self, child: Child, last: Episode) -> int | None:
        """The day of the child's next referral, or None."""
        if last.close > self.end or child.death is not None:
            return None
        short = last.close - last.referral < SHORT_EPISODE_DAYS
        if self.rnd() >= (P_REREFERRAL_AFTER_SHORT if short else P_REREFERRAL_AFTER_LONG):
            return None
        gap = 7 + int(self.expo(1 / (150 if short else 240)))
        day = self.cal.referral_day_from(last.close + gap, self.rnd)
        return day if day <= self.end and day < child.eighteenth else None

    # -- long-running episodes and early help -----------------------------------------------

    def _long_running_episode(self, child: Child, referral: int, close: int, short_break: bool) -> Episode:
        r = self.rnd
        ep = Episode(
            referral=referral,
            contact=referral - int(r() * 3),
            source=self.w["short_break_source"].pick(r) if short_break else self._source(referral),
            need="N2" if short_break else self.w["need"].pick(r),
            short_break=short_break,
        )
        a = ep.assessment = self._assessment(referral)
        a.services, a.cla = short_break, not short_break
        if close >= child.eighteenth:
            ep.close, ep.close_reason = child.eighteenth - 1, "RC6"
        else:
            ep.close = max(close, a.auth + 1)
            ep.close_reason = self.w["short_break_close" if short_break else "long_term_close"].pick(r)
        return ep

    def _early_help(self, day: int) -> EarlyHelp:
        r, cal, w = self.rnd, self.cal, self.w
        start = cal.on_or_after(day)
        end = start + 60 + int(self.expo(1 / 150))
        purpose = w["eh_purpose"].pick(r)
        eha = purpose == "EHA"
        assessment = cal.add(start, 3 + int(r() * 25)) if r() < (0.85 if eha else 0.15) else None
        team = (r() < 0.65) if eha else (None if r() < 0.5 else r() < 0.1)
        plan = None
        if assessment is not None and r() < (0.85 if team else 0.35 if eha else 0.05):
            plan = cal.add(assessment, int(r() * 15))
        end = max(end, plan or assessment or start)
        return EarlyHelp(
            start=start,
            end=end,
            purpose=purpose,
            assessment=assessment,
            team_around_family=team,
            plan_start=plan,
            reason=w["eh_reason"].pick(r),
            end_reason=w["eh_end_reason"].pick(r),
            organisation=w["eh_organisation"].pick(r),
        )
