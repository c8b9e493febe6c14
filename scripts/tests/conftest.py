"""Shared fixtures: a tiny, valid, synthetic landing folder (all contract tables) and code lists."""

from __future__ import annotations

from pathlib import Path

import pytest

# One council's minimal valid extract: every raw-contract table, a handful of rows, consistent ids.
# Latest required event date: 2016-09-30 (cine_referral_date of R3).
MINIMAL_EXTRACT: dict[str, str] = {
    "ssd_person": """\
pers_person_id,pers_sex,pers_gender,pers_ethnicity,pers_dob,pers_expected_dob,pers_death_date,pers_upn,pers_upn_unknown,pers_former_upn,pers_forename,pers_surname
P1,M,1,WBRI,2010-05-01,,,,,,Alex,Smith
P2,F,2,WBRI,2012-03-04,,,,UN1,,Sam,Jones
P3,U,0,,,2016-11-01,,,,,,
""",
    "ssd_disability": """\
disa_table_id,disa_person_id,disa_disability_code
D1,P1,MOB
D2,P2,NONE
""",
    "ssd_contacts": """\
cont_contact_id,cont_person_id,cont_contact_date,cont_contact_source_code,cont_contact_source_desc,cont_contact_outcome_json
C1,P1,2016-01-04,1A,Individual,"{""NEW_REFERRAL_FLAG"":""Y"",""NFA_FLAG"":""N""}"
C2,P2,2016-02-28,5A,School,"{""NEW_REFERRAL_FLAG"":""Y""}"
C3,P3,2016-09-29,1A,Individual,
""",
    "ssd_early_help_episodes": """\
earl_episode_id,earl_person_id,earl_episode_start_date,earl_episode_end_date,earl_episode_reason,earl_episode_end_reason,earl_episode_organisation,earl_assessment_date,earl_team_around_family,earl_plan_start_date,earl_record_purpose
E1,P3,2015-06-01,2015-12-01,Family support,Closed,Council,2015-06-20,Y,2015-07-01,EHA
E2,P1,2015-09-01,,Parenting,,Council,,N,,REC
""",
    "ssd_cin_episodes": """\
cine_referral_id,cine_person_id,cine_referral_date,cine_cin_primary_need_code,cine_referral_source_code,cine_referral_source_desc,cine_referral_outcome_json,cine_referral_nfa,cine_close_reason,cine_close_date,cine_short_break_budget_only
R1,P1,2016-01-05,N1,1A,Individual,"{""SINGLE_ASSESSMENT_FLAG"":""Y""}",N,RC1,2016-06-30,N
R2,P2,2016-03-01,N2,5A,School,"{""SINGLE_ASSESSMENT_FLAG"":""Y"",""STRATEGY_DISCUSSION_FLAG"":""Y""}",N,,,N
R3,P3,2016-09-30,N1,1A,Individual,"{""NFA_FLAG"":""Y""}",Y,RC1,2016-09-30,N
""",
    "ssd_cin_assessments": """\
cina_assessment_id,cina_person_id,cina_referral_id,cina_assessment_start_date,cina_assessment_child_seen,cina_assessment_auth_date,cina_assessment_outcome_json,cina_assessment_outcome_nfa
A1,P1,R1,2016-01-06,Y,2016-02-01,"{""CIN_PLAN_FLAG"":""Y""}",N
A2,P2,R2,2016-03-02,Y,2016-04-01,"{""STRATEGY_DISCUSSION_FLAG"":""Y""}",N
""",
    "ssd_assessment_factors": """\
cinf_table_id,cinf_assessment_id,cinf_assessment_factors_json
F1,A1,"[""2B"",""4B""]"
F2,A2,"{""1C"":""Yes""}"
""",
    "ssd_cin_plans": """\
cinp_cin_plan_id,cinp_referral_id,cinp_person_id,cinp_cin_plan_start_date,cinp_cin_plan_end_date
CP1,R1,P1,2016-02-02,2016-06-30
""",
    "ssd_s47_enquiry": """\
s47e_s47_enquiry_id,s47e_referral_id,s47e_person_id,s47e_s47_start_date,s47e_s47_end_date,s47e_s47_nfa,s47e_s47_outcome_json
S1,R2,P2,2016-03-05,2016-03-20,N,"{""ICPC_FLAG"":""Y""}"
""",
    "ssd_initial_cp_conference": """\
icpc_icpc_id,icpc_s47_enquiry_id,icpc_person_id,icpc_cp_plan_id,icpc_referral_id,icpc_icpc_transfer_in,icpc_icpc_target_date,icpc_icpc_date,icpc_icpc_outcome_cp_flag,icpc_icpc_outcome_json
I1,S1,P2,PL1,R2,N,2016-04-02,2016-04-01,Y,"{""CP_PLAN_FLAG"":""Y""}"
""",
    "ssd_cp_plans": """\
cppl_cp_plan_id,cppl_referral_id,cppl_icpc_id,cppl_person_id,cppl_cp_plan_start_date,cppl_cp_plan_end_date,cppl_cp_plan_initial_category,cppl_cp_plan_latest_category,cppl_cp_plan_ola,cppl_number_of_previous_cpp
PL1,R2,I1,P2,2016-04-01,,NEG,Neglect,N,0
""",
    "ssd_cp_reviews": """\
cppr_cp_review_id,cppr_cp_plan_id,cppr_person_id,cppr_cp_review_due,cppr_cp_review_date
RV1,PL1,P2,2016-07-01,2016-06-28
RV2,PL1,P2,2016-12-28,
""",
}

# The code lists the contract names, in the layout of seeds/reference/ref_cin_codes.csv.
CODE_LISTS = {
    "referral_source": ["1A", "1B", "2A", "3A", "5A", "5B", "10"],
    "primary_need": ["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", "N9"],
    "closure_reason": ["RC1", "RC2", "RC3", "RC4", "RC5", "RC6", "RC7", "RC8"],
    "cp_category": ["NEG", "PHY", "SAB", "EMO", "MUL"],
    "sex": ["M", "F", "U"],
    "gender_legacy": ["1", "2", "0", "9"],
    "ethnicity": ["WBRI", "WIRI", "MWBC", "ASIA", "BCRB", "OOTH", "REFU", "NOBT"],
    "disability": ["MOB", "HAND", "AUT", "LD", "NONE"],
}


def write_table(
    landing: Path, table: str, text: str, la_code: str = "878", encoding: str = "utf-8", suffix: str = ".csv"
) -> Path:
    """One landing file, written byte for byte (newline='' keeps line endings as given)."""
    path = landing / f"la_code={la_code}" / f"{table}{suffix}"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as f:
        f.write(text)
    return path


def write_extract(landing: Path, la_code: str = "878", skip: tuple[str, ...] = ()) -> Path:
    for table, text in MINIMAL_EXTRACT.items():
        if table not in skip:
            write_table(landing, table, text, la_code)
    return landing


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    """A valid minimal extract for council 878."""
    return write_extract(tmp_path / "landing")


@pytest.fixture
def codes_file(tmp_path: Path) -> Path:
    path = tmp_path / "ref_cin_codes.csv"
    rows = ["code_list,code,description,first_year,last_year,is_retired,note"]
    rows += [f"{name},{code},{code},2013,,false," for name, codes in CODE_LISTS.items() for code in codes]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path
