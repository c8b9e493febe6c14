"""The simulated world's records: a child and what happens to them (episodes, assessments,
enquiries, conferences, plans, early help), before anything is written."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Child:
    dob: int
    sex: str
    ethnicity: str
    expected_dob: int | None = None
    disabilities: list[str] = field(default_factory=list)
    plans: int = 0  # CP plans so far, those before the extract included
    death: int | None = None
    upn_unknown: str | None = None
    person_id: str | None = None

    @property
    def eighteenth(self) -> int:
        return self.dob + 6574  # 18 years of 365.25 days, rounded down


@dataclass(slots=True)
class Assessment:
    start: int
    auth: int
    child_seen: bool = True
    nfa: bool = False
    cin_plan: bool = False
    strategy: bool = False
    cla: bool = False
    services: bool = False
    early_help: bool = False


@dataclass(slots=True)
class Enquiry:
    start: int
    end: int = 0
    nfa: bool = False
    icpc: bool = False
    continue_cin: bool = False


@dataclass(slots=True)
class Conference:
    date: int
    target: int
    transfer_in: bool = False
    plan: bool = False
    cin_plan: bool = False


@dataclass(slots=True)
class CpPlan:
    start: int
    end: int
    initial: str
    latest: str
    previous: int
    reviews: list[tuple[int, int]]  # (due, held)
    ola: bool = False


@dataclass(slots=True)
class EarlyHelp:
    start: int
    end: int
    purpose: str
    assessment: int | None
    team_around_family: bool | None
    plan_start: int | None
    reason: str
    end_reason: str
    organisation: str


@dataclass(slots=True)
class Episode:
    referral: int
    contact: int
    source: str
    need: str
    close: int = 0
    close_reason: str = ""
    nfa: bool = False
    strategy_at_referral: bool = False
    short_break: bool = False
    assessment: Assessment | None = None
    enquiry: Enquiry | None = None
    conference: Conference | None = None
    plan: CpPlan | None = None
    cin_plans: list[tuple[int, int]] = field(default_factory=list)
    early_help: EarlyHelp | None = None
