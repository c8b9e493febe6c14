"""People and case rows: how a simulated child's career is written as SSD rows, one per
record in each contract table (mixed into careers.Council, whose ids, calendar and extract it
uses)."""

from __future__ import annotations

from datetime import date

from ..cin_census.upn import synthetic_upn
from .cases import Assessment, Child, CpPlan, EarlyHelp, Enquiry, Episode
from .codes import CP_CATEGORY_WORDS, SCHOOL_AGE_DAYS, SCHOOL_AGE_UPN_UNKNOWN, SOURCE_DESCRIPTIONS
from .formats import outcome_json
from .parameters import EXISTING_CONTACTS_PER_YEAR

FORMER_UPN_EVERY = 20  # children with a UPN, one in this many also has a former UPN


class SsdRows:
    """The writing half of a council's simulation (see careers.Council)."""

    def _id(self, prefix: str) -> str:
        n = self.ids[prefix] = self.ids.get(prefix, 0) + 1
        return f"{prefix}{n:07d}"

    def _upto(self, day: int | None) -> int | None:
        """The day if it has happened by the end of the extract, else None (blank)."""
        return day if day is not None and day <= self.end else None

    def _write_career(self, child: Child, episodes: list[Episode]) -> None:
        written = [ep for ep in episodes if ep.close >= self.written_from]
        if not written:
            return
        for ep in written:
            self._write_episode(child, ep)
        self._write_person(child)

    def _person_id(self, child: Child) -> str:
        if child.person_id is None:
            child.person_id = self._id("P")
        return child.person_id

    def _write_person(self, child: Child) -> None:
        pid = self._person_id(child)
        born = self._upto(child.dob)
        sex = child.sex if born else "U"
        gender = {"M": "1", "F": "2"}.get(sex, "0" if born is None or self.rnd() < 0.7 else "9")
        self.out["ssd_person"].write(
            pers_person_id=pid,
            pers_sex=sex,
            pers_gender=gender,
            pers_ethnicity=child.ethnicity,
            pers_dob=born,
            pers_expected_dob=child.expected_dob,
            pers_death_date=self._upto(child.death),
            **self._upn(child, pid),
            pers_forename="Synthetic",
            pers_surname=f"Child{pid[1:]}",
        )
        for code in child.disabilities:
            self.out["ssd_disability"].write(
                disa_table_id=self._id("DIS"), disa_person_id=pid, disa_disability_code=code
            )
        if not child.disabilities:
            # NONE, as a case system records a child without a disability (DfE 8540 wants a
            # Disability for every child referred). Styled from a stream of its own, so that the
            # rest of the extract stays as it was before these rows were written.
            self.out["ssd_disability"].write(
                style_rng=self.none_rng,
                disa_table_id=self._id("DIS"),
                disa_person_id=pid,
                disa_disability_code="NONE",
            )

    def _upn(self, child: Child, pid: str) -> dict:
        """A valid SYNTHETIC UPN for a child of school age by the end of the extract (made from
        the person id: no random draw, so the rest of the extract does not move), unless the
        child has a school-age reason for none (UN2-UN6); UN1 for a younger child. One child
        in FORMER_UPN_EVERY with a UPN has a former UPN too (well formed: DfE 1560Q holds), the
        one allocated the year before."""
        if child.dob > self.end - SCHOOL_AGE_DAYS:
            return {"pers_upn": None, "pers_upn_unknown": "UN1"}
        if child.upn_unknown in SCHOOL_AGE_UPN_UNKNOWN:
            return {"pers_upn": None, "pers_upn_unknown": child.upn_unknown}
        allocated = date.fromordinal(child.dob + SCHOOL_AGE_DAYS).year
        serial = int(pid[1:])
        former = synthetic_upn(self.la_code, serial, allocated - 1) if serial % FORMER_UPN_EVERY == 0 else None
        return {
            "pers_upn": synthetic_upn(self.la_code, serial, allocated),
            "pers_upn_unknown": None,
            "pers_former_upn": former,
        }

    def _write_contact(self, child: Child, day: int, source: str, **flags: bool) -> None:
        outcome = (
            ("NEW_REFERRAL_FLAG", flags.get("new", False)),
            ("EXISTING_REFERRAL_FLAG", flags.get("existing", False)),
            ("CP_ENQUIRY_FLAG", flags.get("cp", False)),
            ("NFA_FLAG", flags.get("nfa", False)),
            ("ADVICE_FLAG", flags.get("advice", False)),
            ("EARLY_HELP_FLAG", flags.get("early_help", False)),
        )
        self.out["ssd_contacts"].write(
            cont_contact_id=self._id("CON"),
            cont_person_id=self._person_id(child),
            cont_contact_date=day,
            cont_contact_source_code=source,
            cont_contact_source_desc=SOURCE_DESCRIPTIONS[source],
            cont_contact_outcome_json=outcome_json(outcome),
        )

    def _write_other_contact(self, child: Child, day: int) -> None:
        """A contact about a child never referred: advice, no further action or early help."""
        r = self.rnd()
        source = self.w["source"].pick(self.rnd)
        if r < 0.25:
            self._write_contact(child, day, source, early_help=True)
            if self.rnd() < 0.8:
                self._write_early_help(child, self._early_help(day + 3 + int(self.rnd() * 28)))
        else:
            self._write_contact(child, day, source, advice=r < 0.55, nfa=r >= 0.55)

    def _write_episode(self, child: Child, ep: Episode) -> None:
        pid, end = self._person_id(child), self.end
        ref_id = self._id("REF")
        if ep.contact >= self.start:
            self._write_contact(child, ep.contact, ep.source, new=True)
        self._write_existing_contacts(child, ep)
        a = ep.assessment
        self.out["ssd_cin_episodes"].write(
            cine_referral_id=ref_id,
            cine_person_id=pid,
            cine_referral_date=ep.referral,
            cine_cin_primary_need_code=ep.need,
            cine_referral_source_code=ep.source,
            cine_referral_source_desc=SOURCE_DESCRIPTIONS[ep.source],
            cine_referral_outcome_json=outcome_json(
                (
                    ("SINGLE_ASSESSMENT_FLAG", a is not None),
                    ("NFA_FLAG", ep.nfa),
                    ("STRATEGY_DISCUSSION_FLAG", ep.strategy_at_referral),
                    ("CLA_REQUEST_FLAG", False),
                    ("NON_AGENCY_ADOPTION_FLAG", False),
                    ("UNDER_18_CUSTODY_FLAG", False),
                    ("PROVISION_OF_SERVICES_FLAG", ep.short_break),
                )
            ),
            cine_referral_nfa=ep.nfa,
            cine_close_reason=ep.close_reason if ep.close <= end else None,
            cine_close_date=self._upto(ep.close),
            cine_short_break_budget_only=ep.short_break,
        )
        if a is not None and a.start <= end:
            self._write_assessment(pid, ref_id, a)
        if ep.enquiry is not None and ep.enquiry.start <= end:
            s47_id = self._write_enquiry(pid, ref_id, ep.enquiry)
        else:
            s47_id = None
        if ep.conference is not None:
            self._write_conference(pid, ref_id, s47_id, ep)
        for start, stop in ep.cin_plans:
            if start <= end:
                self.out["ssd_cin_plans"].write(
                    cinp_cin_plan_id=self._id("CINP"),
                    cinp_referral_id=ref_id,
                    cinp_person_id=pid,
                    cinp_cin_plan_start_date=start,
                    cinp_cin_plan_end_date=self._upto(stop),
                )
        if ep.early_help is not None and ep.early_help.end >= self.start:
            self._write_early_help(child, ep.early_help)

    def _write_existing_contacts(self, child: Child, ep: Episode) -> None:
        """Contacts about the child while the episode is open (within the extract)."""
        if ep.nfa:
            return
        first, last = max(ep.referral + 1, self.start), min(ep.close, self.end)
        expected = EXISTING_CONTACTS_PER_YEAR * (last - first) / 365.25
        if expected <= 0:
            return
        n = int(expected) + (self.rnd() < expected % 1)
        for day in sorted(first + int(self.rnd() * (last - first + 1)) for _ in range(n)):
            cp = ep.plan is not None and ep.plan.start <= day <= ep.plan.end
            self._write_contact(child, day, self.w["source"].pick(self.rnd), existing=True, cp=cp and self.rnd() < 0.3)

    def _write_assessment(self, pid: str, ref_id: str, a: Assessment) -> None:
        done = a.auth <= self.end
        assessment_id = self._id("ASMT")
        self.out["ssd_cin_assessments"].write(
            cina_assessment_id=assessment_id,
            cina_person_id=pid,
            cina_referral_id=ref_id,
            cina_assessment_start_date=a.start,
            cina_assessment_child_seen=a.child_seen,
            cina_assessment_auth_date=a.auth if done else None,
            cina_assessment_outcome_json=outcome_json(
                (
                    ("NFA_FLAG", a.nfa),
                    ("CIN_PLAN_FLAG", a.cin_plan),
                    ("STRATEGY_DISCUSSION_FLAG", a.strategy),
                    ("CLA_REQUEST_FLAG", a.cla),
                    ("PROVISION_OF_SERVICES_FLAG", a.services),
                    ("EARLY_HELP_FLAG", a.early_help),
                )
            )
            if done
            else None,
            cina_assessment_outcome_nfa=a.nfa if done else None,
        )
        if done and self.rnd() < 0.92:
            self.out["ssd_assessment_factors"].write(
                cinf_table_id=self._id("AF"),
                cinf_assessment_id=assessment_id,
                cinf_assessment_factors_json=self._factors_json(a.nfa),
            )

    def _factors_json(self, nfa: bool) -> str:
        """["2B","4B"], or in the older object form {"2B":"Yes","4B":"No"}."""
        r = self.rnd
        if nfa and r() < 0.15:
            codes = ["21"]
        else:
            codes = []
            for _ in range(1 + int(r() * 4)):
                code = self.w["factor"].pick(r)
                if code not in codes:
                    codes.append(code)
        if r() < 0.15:
            extra = [c for c in ("1B", "2B", "4B") if c not in codes][: int(r() * 3)]
            return "{" + ",".join([f'"{c}":"Yes"' for c in codes] + [f'"{c}":"No"' for c in extra]) + "}"
        return "[" + ",".join(f'"{c}"' for c in codes) + "]"

    def _write_enquiry(self, pid: str, ref_id: str, s47: Enquiry) -> str:
        done = s47.end <= self.end
        s47_id = self._id("S47")
        self.out["ssd_s47_enquiry"].write(
            s47e_s47_enquiry_id=s47_id,
            s47e_referral_id=ref_id,
            s47e_person_id=pid,
            s47e_s47_start_date=s47.start,
            s47e_s47_end_date=s47.end if done else None,
            s47e_s47_nfa=s47.nfa if done else None,
            s47e_s47_outcome_json=outcome_json(
                (
                    ("NFA_FLAG", s47.nfa),
                    ("ICPC_FLAG", s47.icpc),
                    ("CP_PLAN_FLAG", False),
                    ("CONTINUE_CIN_FLAG", s47.continue_cin),
                    ("CLA_REQUEST_FLAG", False),
                    ("OTHER_OUTCOMES_EXIST_FLAG", False),
                )
            )
            if done
            else None,
        )
        return s47_id

    def _write_conference(self, pid: str, ref_id: str, s47_id: str | None, ep: Episode) -> None:
        """The conference once it is decided (S47 ended, or transfer-in referred), its plan."""
        conf, end = ep.conference, self.end
        decided = ep.referral if conf.transfer_in else ep.enquiry.end
        if decided > end:
            return
        held = conf.date <= end
        plan = ep.plan if held and conf.plan else None
        icpc_id = self._id("ICPC")
        plan_id = self._id("CPP") if plan is not None else None
        self.out["ssd_initial_cp_conference"].write(
            icpc_icpc_id=icpc_id,
            icpc_s47_enquiry_id=s47_id,
            icpc_person_id=pid,
            icpc_cp_plan_id=plan_id,
            icpc_referral_id=ref_id,
            icpc_icpc_transfer_in=conf.transfer_in,
            icpc_icpc_target_date=conf.target,
            icpc_icpc_date=conf.date if held else None,
            icpc_icpc_outcome_cp_flag=conf.plan if held else None,
            icpc_icpc_outcome_json=outcome_json(
                (
                    ("NFA_FLAG", not (conf.plan or conf.cin_plan)),
                    ("SECOND_ICPC_FLAG", False),
                    ("CP_PLAN_FLAG", conf.plan),
                    ("CIN_PLAN_FLAG", conf.cin_plan),
                    ("CLA_REQUEST_FLAG", False),
                )
            )
            if held
            else None,
        )
        if plan is not None:
            self._write_plan(pid, ref_id, icpc_id, plan_id, plan)

    def _write_plan(self, pid: str, ref_id: str, icpc_id: str, plan_id: str, plan: CpPlan) -> None:
        words = self.out["ssd_cp_plans"].style.cp_words and self.rnd() < 0.85
        initial, latest = (
            (CP_CATEGORY_WORDS[plan.initial], CP_CATEGORY_WORDS[plan.latest]) if words else (plan.initial, plan.latest)
        )
        self.out["ssd_cp_plans"].write(
            cppl_cp_plan_id=plan_id,
            cppl_referral_id=ref_id,
            cppl_icpc_id=icpc_id,
            cppl_person_id=pid,
            cppl_cp_plan_start_date=plan.start,
            cppl_cp_plan_end_date=self._upto(plan.end),
            cppl_cp_plan_initial_category=initial,
            cppl_cp_plan_latest_category=latest,
            cppl_cp_plan_ola=plan.ola,
            cppl_number_of_previous_cpp=plan.previous,
        )
        self._write_reviews(pid, plan_id, plan)

    def _write_reviews(self, pid: str, plan_id: str, plan: CpPlan) -> None:
        """Reviews held by the end of the extract, then the next one due if the plan is open."""
        reviews: list[tuple[int, int | None]] = list(plan.reviews)
        if not reviews and plan.end > self.end:  # open, first review not yet held
            reviews.append((self.cal.on_or_before(plan.start + 91), None))
        for due, held in reviews:
            held = self._upto(held)
            self.out["ssd_cp_reviews"].write(
                cppr_cp_review_id=self._id("CPR"),
                cppr_cp_plan_id=plan_id,
                cppr_person_id=pid,
                cppr_cp_review_due=due,
                cppr_cp_review_date=held,
            )
            if held is None:
                return

    def _write_early_help(self, child: Child, eh: EarlyHelp) -> None:
        if eh.start > self.end:
            return
        ended = eh.end <= self.end
        self.out["ssd_early_help_episodes"].write(
            earl_episode_id=self._id("EH"),
            earl_person_id=self._person_id(child),
            earl_episode_start_date=eh.start,
            earl_episode_end_date=eh.end if ended else None,
            earl_episode_reason=eh.reason,
            earl_episode_end_reason=eh.end_reason if ended else None,
            earl_episode_organisation=eh.organisation,
            earl_assessment_date=self._upto(eh.assessment),
            earl_team_around_family=eh.team_around_family,
            earl_plan_start_date=self._upto(eh.plan_start),
            earl_record_purpose=eh.purpose,
        )
