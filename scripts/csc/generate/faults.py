"""Known data-quality faults `csc generate --faults` plants, one row each (listed in the
marker file)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from .formats import date_text

if TYPE_CHECKING:
    from .writers import TableWriter


# A fault turns one row (its values as given, and as formatted) into the rows to write, or
# returns None when the row is not suitable (the next row is tried).
Mutation = Callable[["TableWriter", list, list], "list[list] | None"]


def _set(column: str, value: str) -> Mutation:
    def mutate(writer: TableWriter, values: list, row: list) -> list[list]:
        row[writer.index[column]] = value
        return [row]

    return mutate


def _duplicate(writer: TableWriter, values: list, row: list) -> list[list]:
    return [row, list(row)]


def _drop(writer: TableWriter, values: list, row: list) -> list[list]:
    return []


def _end_before_start(writer: TableWriter, values: list, row: list) -> list[list] | None:
    start, end = writer.index["cppl_cp_plan_start_date"], writer.index["cppl_cp_plan_end_date"]
    if values[end] is None:
        return None
    row[end] = date_text(values[start] - 30, writer.style.dates)
    return [row]


def _year_2099(column: str) -> Mutation:
    def mutate(writer: TableWriter, values: list, row: list) -> list[list] | None:
        day = values[writer.index[column]]
        if day is None:
            return None
        d = date.fromordinal(day)
        row[writer.index[column]] = date(2099, d.month, min(d.day, 28)).isoformat()
        return [row]

    return mutate


@dataclass(frozen=True)
class Fault:
    table: str
    column: str | None
    description: str
    mutate: Mutation


FAULTS = (
    Fault("ssd_cin_episodes", "cine_referral_id", "duplicated primary key (the row is written twice)", _duplicate),
    Fault(
        "ssd_cin_episodes",
        "cine_referral_outcome_json",
        "invalid JSON (closing brace missing)",
        _set("cine_referral_outcome_json", '{"NFA_FLAG":"N","SINGLE_ASSESSMENT_FLAG":"Y"'),
    ),
    Fault(
        "ssd_cin_episodes",
        "cine_referral_source_code",
        'unknown referral source code "ZZ"',
        _set("cine_referral_source_code", "ZZ"),
    ),
    Fault(
        "ssd_cin_assessments",
        "cina_referral_id",
        "assessment of referral REF9999999, which is not in the extract",
        _set("cina_referral_id", "REF9999999"),
    ),
    Fault(
        "ssd_cin_assessments",
        "cina_assessment_child_seen",
        'flag value "maybe"',
        _set("cina_assessment_child_seen", "maybe"),
    ),
    Fault(
        "ssd_contacts",
        "cont_contact_date",
        'impossible date "31/02/2016" in a required date',
        _set("cont_contact_date", "31/02/2016"),
    ),
    Fault(
        "ssd_cin_plans",
        "cinp_cin_plan_start_date",
        'US-style date "12/31/2016" in a required date',
        _set("cinp_cin_plan_start_date", "12/31/2016"),
    ),
    Fault("ssd_cp_plans", "cppl_cp_plan_end_date", "plan ends 30 days before it starts", _end_before_start),
    Fault("ssd_s47_enquiry", "s47e_s47_end_date", "end date typed with the year 2099", _year_2099("s47e_s47_end_date")),
    Fault("ssd_person", "pers_person_id", "person row left out: the child's events have no ssd_person row", _drop),
)
FAULT_FROM_ROW = 10  # faults go into the first suitable rows from this data row on
