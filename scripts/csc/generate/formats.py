"""How values are written: each table's file style (date and flag words, encoding, line
ends), the optional columns that may be blank, and dates and outcome JSON as text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

DATE_STYLES = ("iso", "sql", "uk")
FLAG_WORDS = {"yn": ("Y", "N"), "yesno": ("Yes", "No"), "10": ("1", "0"), "truefalse": ("true", "false")}


@dataclass(frozen=True)
class FileStyle:
    dates: str = "iso"  # iso, sql (SQL Server datetime) or uk (DD/MM/YYYY)
    flags: str = "yn"  # a key of FLAG_WORDS
    encoding: str = "utf-8"  # utf-8, utf-8-sig (byte-order mark) or cp1252
    newline: str = "\n"
    cp_words: bool = False  # CP categories as SSD words rather than CIN codes


FILE_STYLES = {
    "ssd_person": FileStyle(encoding="utf-8-sig"),
    "ssd_contacts": FileStyle(dates="sql", encoding="cp1252", newline="\r\n"),
    "ssd_early_help_episodes": FileStyle(flags="yesno"),
    "ssd_cin_episodes": FileStyle(encoding="cp1252", newline="\r\n"),
    "ssd_cin_assessments": FileStyle(dates="uk", flags="yesno"),
    "ssd_cin_plans": FileStyle(dates="sql"),
    "ssd_s47_enquiry": FileStyle(flags="10"),
    "ssd_initial_cp_conference": FileStyle(flags="truefalse"),
    "ssd_cp_plans": FileStyle(dates="uk", cp_words=True),
    "ssd_cp_reviews": FileStyle(dates="sql"),
}

# Optional columns one of which is blanked in about one row in eight: descriptive fields and
# flags staging can also read from the outcome JSON, never the dates or links a flow depends on.
BLANKABLE = {
    "ssd_person": ("pers_sex", "pers_gender", "pers_ethnicity", "pers_forename", "pers_surname"),
    "ssd_contacts": ("cont_contact_source_code", "cont_contact_source_desc"),
    "ssd_early_help_episodes": ("earl_episode_reason", "earl_episode_organisation"),
    # not the primary need: DfE 8610 requires it for a referral that led to further action
    "ssd_cin_episodes": ("cine_referral_source_desc", "cine_referral_nfa"),
    "ssd_cin_assessments": ("cina_assessment_child_seen", "cina_assessment_outcome_nfa"),
    "ssd_cin_plans": ("cinp_referral_id",),
    "ssd_s47_enquiry": ("s47e_s47_nfa",),
    "ssd_initial_cp_conference": ("icpc_icpc_target_date", "icpc_referral_id", "icpc_icpc_outcome_cp_flag"),
    "ssd_cp_plans": (
        "cppl_cp_plan_latest_category",
        "cppl_cp_plan_ola",
        "cppl_number_of_previous_cpp",
        "cppl_referral_id",
    ),
    "ssd_cp_reviews": ("cppr_cp_review_due",),  # cppr_person_id: staging tests it is present
}


@cache
def date_text(day: int, style: str) -> str:
    d = date.fromordinal(day)
    if style == "uk":
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    if style == "sql":
        return f"{d.isoformat()} 00:00:00.000"
    return d.isoformat()


@cache
def outcome_json(flags: tuple[tuple[str, bool], ...]) -> str:
    """SSD outcome flags as JSON, e.g. {"NFA_FLAG":"N","SINGLE_ASSESSMENT_FLAG":"Y"}."""
    return "{" + ",".join(f'"{k}":"{"Y" if v else "N"}"' for k, v in flags) + "}"
