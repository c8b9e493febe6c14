"""csc generate: a deterministic, valid, realistic synthetic extract (and known faults on demand)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import holidays
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from csc import rules
from csc.contract import load_contract
from csc.generate import ENGLAND_LA_CODES, ENGLAND_REFERRALS_PER_YEAR, Options, generate_extract, referrals_a_year
from csc.landing import read_table
from csc.paths import DEMO_MARKER

START, END = "2013-04-01", "2016-09-30"
YEARS = (date.fromisoformat(END) - date.fromisoformat(START)).days / 365.25


def generate(
    out: Path,
    size: float = 0.05,
    faults: bool = False,
    seed: int = 20160930,
    la_codes: tuple[str, ...] = ("878",),
    scale: str = "la",
    **kw,
) -> dict[str, int]:
    options = {
        "la_codes": list(la_codes),
        "scale": scale,
        "start": START,
        "end": END,
        "seed": seed,
        "size": size,
        "faults": faults,
        "progress": False,
    } | kw
    return generate_extract(out=out, **options)


def tables(root: Path) -> dict[str, pd.DataFrame]:
    """Every table as text, read with the landing reader (encodings, BOM handled there)."""
    frames = {name: read_table(name, root).to_pandas() for name in load_contract()}
    return {name: df.replace("", None) for name, df in frames.items()}


def dates(values: pd.Series) -> pd.Series:
    """Text to Timestamp as staging reads it (csc.rules: var date_formats; NaT when blank)."""
    _, parsed = rules.parse_dates(pa.array(values.fillna("").str.strip(), pa.string()))
    return pd.Series(parsed.astype("datetime64[ns]"), index=values.index)


def flags(values: pd.Series) -> pd.Series:
    text = values.fillna("").str.strip().str.lower()
    return text.isin(rules.flag_words(True))


def json_flag(values: pd.Series, key: str) -> pd.Series:
    return values.map(lambda v: isinstance(v, str) and json.loads(v).get(key) == "Y")


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    out = tmp_path_factory.mktemp("small")
    return out, generate(out)


@pytest.fixture(scope="module")
def default(tmp_path_factory) -> tuple[Path, dict[str, pd.DataFrame]]:
    """The default extract: Devon, full size."""
    out = tmp_path_factory.mktemp("default")
    generate(out, size=1.0)
    return out, tables(out)


@pytest.fixture(scope="module")
def faulty(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("faulty")
    generate(out, faults=True)
    return out


# ---------------------------------------------------------------------------------------------
# Determinism, layout, marker
# ---------------------------------------------------------------------------------------------


def test_same_options_give_byte_identical_files(small, tmp_path):
    first, _ = small
    generate(tmp_path)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    for f in files:
        assert (first / f).read_bytes() == (tmp_path / f).read_bytes(), f


def test_another_seed_gives_another_extract(small, tmp_path):
    first, _ = small
    generate(tmp_path, seed=1)
    name = "la_code=878/ssd_cin_episodes.csv"
    assert (first / name).read_bytes() != (tmp_path / name).read_bytes()


def test_every_contract_table_written_with_the_contract_header(small):
    out, summary = small
    contract = load_contract()
    assert list(summary) == list(contract)
    for name, table in contract.items():
        raw = (out / "la_code=878" / f"{name}.csv").read_bytes()
        text = raw.decode("utf-8-sig") if raw.startswith(b"\xef\xbb\xbf") else raw.decode("cp1252")
        assert text.splitlines()[0].split(",") == table.column_names, name
        assert summary[name] == len(text.splitlines()) - 1 > 0, name


def test_files_mix_encodings_and_accepted_formats(small):
    folder = small[0] / "la_code=878"
    assert (folder / "ssd_person.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    contacts = (folder / "ssd_contacts.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        contacts.decode("utf-8")  # Windows-1252, with non-ASCII text in it
    assert b"\r\n" in contacts
    t = tables(small[0])
    referral_dates = t["ssd_cin_episodes"].cine_referral_date
    assert referral_dates.str.match(r"^\d{4}-\d{2}-\d{2}$").mean() > 0.8
    assert referral_dates.str.contains("/").any() and referral_dates.str.contains(":").any()
    assert t["ssd_cin_assessments"].cina_assessment_start_date.str.contains("/").mean() > 0.8
    assert set(t["ssd_s47_enquiry"].s47e_s47_nfa.dropna().str.lower()) > {"1", "0"}
    categories = set(t["ssd_cp_plans"].cppl_cp_plan_initial_category)
    assert {"Neglect", "NEG"} <= categories or {"Emotional abuse", "EMO"} <= categories
    factors = t["ssd_assessment_factors"].cinf_assessment_factors_json
    assert factors.str.startswith("[").any() and factors.str.startswith("{").any()


def test_marker_file_says_synthetic_and_options(small):
    text = (small[0] / DEMO_MARKER).read_text(encoding="utf-8")
    assert "SYNTHETIC" in text and "csc generate" in text
    assert "878" in text and START in text and END in text and "20160930" in text
    assert "No faults injected" in text


def test_rewrites_its_councils_and_leaves_others_alone(tmp_path):
    stale = tmp_path / "la_code=878" / "old_table.csv"
    other = tmp_path / "la_code=999" / "ssd_person.csv"
    for f in (stale, other):
        f.parent.mkdir(parents=True)
        f.write_text("x\n")
    generate(tmp_path, size=0.01)
    assert not stale.exists() and other.read_text() == "x\n"


def test_progress_goes_to_stderr(tmp_path, capsys):
    generate(tmp_path, size=0.01, progress=True)
    assert "la_code=878" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------
# Validity and integrity
# ---------------------------------------------------------------------------------------------

PERSON_COLUMNS = {
    "ssd_disability": "disa_person_id",
    "ssd_contacts": "cont_person_id",
    "ssd_early_help_episodes": "earl_person_id",
    "ssd_cin_episodes": "cine_person_id",
    "ssd_cin_assessments": "cina_person_id",
    "ssd_cin_plans": "cinp_person_id",
    "ssd_s47_enquiry": "s47e_person_id",
    "ssd_initial_cp_conference": "icpc_person_id",
    "ssd_cp_plans": "cppl_person_id",
    "ssd_cp_reviews": "cppr_person_id",
}
FLAG_WORDS = list(rules.flag_words())  # seed ref_value_maps
LINKS = [  # (table, column, parent table, parent key)
    ("ssd_cin_assessments", "cina_referral_id", "ssd_cin_episodes", "cine_referral_id"),
    ("ssd_assessment_factors", "cinf_assessment_id", "ssd_cin_assessments", "cina_assessment_id"),
    ("ssd_cin_plans", "cinp_referral_id", "ssd_cin_episodes", "cine_referral_id"),
    ("ssd_s47_enquiry", "s47e_referral_id", "ssd_cin_episodes", "cine_referral_id"),
    ("ssd_initial_cp_conference", "icpc_s47_enquiry_id", "ssd_s47_enquiry", "s47e_s47_enquiry_id"),
    ("ssd_initial_cp_conference", "icpc_cp_plan_id", "ssd_cp_plans", "cppl_cp_plan_id"),
    ("ssd_cp_plans", "cppl_icpc_id", "ssd_initial_cp_conference", "icpc_icpc_id"),
    ("ssd_cp_plans", "cppl_referral_id", "ssd_cin_episodes", "cine_referral_id"),
    ("ssd_cp_reviews", "cppr_cp_plan_id", "ssd_cp_plans", "cppl_cp_plan_id"),
]


def test_ids_link_and_keys_are_unique(default):
    _, t = default
    persons = set(t["ssd_person"].pers_person_id)
    for name, column in PERSON_COLUMNS.items():
        assert set(t[name][column].dropna()) <= persons, name
    for name, column, parent, key in LINKS:
        assert set(t[name][column].dropna()) <= set(t[parent][key]), (name, column)
    for name, table in load_contract().items():
        assert not t[name][table.key_columns[0]].duplicated().any(), name


def test_upns_are_valid_unique_and_only_for_school_age_children(default):
    """DfE 1510-1550 (form and check letter), 1520 (unique), 8770Q/8772 (reasons)."""
    from csc.cin_census.upn import is_valid_upn

    _, t = default
    person = t["ssd_person"]
    upns = person.pers_upn.dropna()
    assert len(upns) > 0.8 * len(person) and upns.map(is_valid_upn).all()
    assert not upns.duplicated().any() and (upns.str[1:4] == "878").all()
    assert person.pers_upn.isna().eq(person.pers_upn_unknown.notna()).all()  # one or the other
    assert set(person.pers_upn_unknown.dropna()) <= {"UN1", "UN2", "UN3", "UN4", "UN5", "UN6"}
    young = dates(person.pers_dob) > pd.Timestamp(END) - pd.Timedelta(days=1461)
    assert (person.pers_upn_unknown[young.fillna(True)] == "UN1").all()
    # some children with a UPN have a former UPN, well formed (DfE 1560Q), never their UPN
    former = person.pers_former_upn.dropna()
    assert 0 < len(former) < 0.1 * len(upns) and former.map(is_valid_upn).all()
    assert person.pers_upn[former.index].notna().all() and not (former == person.pers_upn[former.index]).any()


def test_episodes_are_clean_for_dfe_2990_and_8610(default):
    """Every referral that led to further action has a primary need (8610); an episode closed
    RC8/RC9 (after assessment) has no S47 enquiry, conference or plan (2990)."""
    _, t = default
    episodes = t["ssd_cin_episodes"]
    nfa = flags(episodes.cine_referral_nfa) | json_flag(episodes.cine_referral_outcome_json, "NFA_FLAG")
    assert episodes.cine_cin_primary_need_code[~nfa].notna().all()
    after_assessment = set(episodes.cine_referral_id[episodes.cine_close_reason.isin(["RC8", "RC9"])])
    for table, column in (
        ("ssd_s47_enquiry", "s47e_referral_id"),
        ("ssd_cin_plans", "cinp_referral_id"),
        ("ssd_initial_cp_conference", "icpc_referral_id"),
        ("ssd_cp_plans", "cppl_referral_id"),
    ):
        assert not after_assessment & set(t[table][column].dropna()), table


def test_values_are_valid_against_the_contract(default):
    """Dates real and not after the end (bar target/due dates), ends after starts, codes known."""
    _, t = default
    end = pd.Timestamp(END)
    for name, table in load_contract().items():
        for column in (c for c in table.columns if not c.is_pii):  # names are never read
            values = t[name][column.name]
            if column.required:
                assert values.notna().all(), column.name
            if column.type == "date":
                parsed = dates(values)
                assert parsed.notna().sum() == values.notna().sum(), column.name
                assert parsed.max() <= end + pd.Timedelta(days=366 if column.future_ok else 0), column.name
            if column.type == "flag":
                assert values.dropna().str.lower().isin(FLAG_WORDS).all(), column.name
            if isinstance(column.codes, tuple):
                assert set(values.dropna()) <= set(column.codes), column.name
    episodes, plans = t["ssd_cin_episodes"], t["ssd_cp_plans"]
    assert (dates(episodes.cine_close_date).fillna(end) >= dates(episodes.cine_referral_date)).all()
    assert (dates(plans.cppl_cp_plan_end_date).fillna(end) >= dates(plans.cppl_cp_plan_start_date)).all()
    closed = episodes.cine_close_date.notna()
    assert episodes.cine_close_reason[closed].isin([f"RC{i}" for i in range(1, 9)]).all()
    assert episodes.cine_close_reason[~closed].isna().all()
    assert dates(t["ssd_contacts"].cont_contact_date).min() >= pd.Timestamp(START)


def test_process_dates_are_working_days(default):
    _, t = default
    bank = holidays.country_holidays("GB", subdiv="ENG", years=range(1990, 2020))
    for name, column in [
        ("ssd_cin_episodes", "cine_referral_date"),
        ("ssd_cin_assessments", "cina_assessment_start_date"),
        ("ssd_s47_enquiry", "s47e_s47_start_date"),
        ("ssd_initial_cp_conference", "icpc_icpc_date"),
        ("ssd_cp_plans", "cppl_cp_plan_start_date"),
    ]:
        days = dates(t[name][column]).dropna()
        assert (days.dt.day_of_week < 5).all(), column
        assert not days.dt.date.isin(bank).any(), column
    contacts = dates(t["ssd_contacts"].cont_contact_date)
    assert (contacts.dt.day_of_week >= 5).mean() > 0.05  # contacts come any day


def test_children_are_0_to_17_at_referral(default):
    _, t = default
    people = t["ssd_person"].set_index("pers_person_id")
    episodes = t["ssd_cin_episodes"]
    dob = dates(episodes.cine_person_id.map(people.pers_dob))
    age = (dates(episodes.cine_referral_date) - dob).dt.days / 365.25
    assert age.max() < 18 and age[dob.notna()].min() > -1
    unborn = people.pers_dob.isna()
    assert 0 < unborn.sum() < 0.01 * len(people) and people.pers_expected_dob[unborn].notna().all()


# ---------------------------------------------------------------------------------------------
# Volumes and case flow of the default extract (Devon, 2013-04-01 to 2016-09-30)
# ---------------------------------------------------------------------------------------------


def in_window(days: pd.Series) -> pd.Series:
    return (days >= pd.Timestamp(START)) & (days <= pd.Timestamp(END))


def test_default_volumes(default):
    _, t = default
    referrals = dates(t["ssd_cin_episodes"].cine_referral_date)
    per_year = in_window(referrals).sum() / YEARS
    assert 6_000 <= per_year <= 7_000
    contacts = t["ssd_contacts"][in_window(dates(t["ssd_contacts"].cont_contact_date))]
    assert 3 <= len(contacts) / in_window(referrals).sum() <= 4
    assert 0.30 <= json_flag(contacts.cont_contact_outcome_json, "NEW_REFERRAL_FLAG").mean() <= 0.40
    assert 1_700 <= in_window(dates(t["ssd_s47_enquiry"].s47e_s47_start_date)).sum() / YEARS <= 2_300
    assert 800 <= in_window(dates(t["ssd_initial_cp_conference"].icpc_icpc_date)).sum() / YEARS <= 1_200
    assert 500 <= in_window(dates(t["ssd_cp_plans"].cppl_cp_plan_start_date)).sum() / YEARS <= 1_000


def test_open_caseload_at_the_end(default):
    _, t = default
    end = pd.Timestamp(END)
    episodes = t["ssd_cin_episodes"]
    nfa = flags(episodes.cine_referral_nfa) | json_flag(episodes.cine_referral_outcome_json, "NFA_FLAG")
    is_open = ~nfa & (dates(episodes.cine_close_date).isna() | (dates(episodes.cine_close_date) > end))
    short_break = flags(episodes.cine_short_break_budget_only)
    by_child = short_break[is_open].groupby(episodes.cine_person_id[is_open]).all()  # all open: SB
    assert 4_500 <= len(by_child) <= 5_500
    assert 1_100 <= by_child.sum() <= 1_500
    plans = t["ssd_cp_plans"]
    open_plans = dates(plans.cppl_cp_plan_end_date).isna()
    assert 400 <= plans.cppl_person_id[open_plans].nunique() <= 700
    assert episodes.cine_person_id[short_break].isin(t["ssd_disability"].disa_person_id).all()


def test_every_child_has_a_disability_row(default):
    """DfE 8540: a child referred needs at least one Disability; NONE when it has none."""
    _, t = default
    disability = t["ssd_disability"]
    assert t["ssd_person"].pers_person_id.isin(disability.disa_person_id).all()
    codes = disability.groupby("disa_person_id").disa_disability_code.agg(set)
    assert not codes[codes.map(len) > 1].map(lambda c: "NONE" in c).any()  # NONE stands alone


def test_timeliness_and_outcomes(default):
    _, t = default
    bank = np.array(
        sorted(holidays.country_holidays("GB", subdiv="ENG", years=range(1990, 2020))), dtype="datetime64[D]"
    )

    def working_days(first: pd.Series, last: pd.Series) -> np.ndarray:
        return np.busday_count(first.values.astype("datetime64[D]"), last.values.astype("datetime64[D]"), holidays=bank)

    a = t["ssd_cin_assessments"]
    done = a[in_window(dates(a.cina_assessment_auth_date))]
    wd = working_days(dates(done.cina_assessment_start_date), dates(done.cina_assessment_auth_date))
    assert 0.82 <= (wd <= 45).mean() <= 0.92 and 0.15 <= (wd <= 15).mean() <= 0.35
    assert 0.45 <= json_flag(done.cina_assessment_outcome_json, "NFA_FLAG").mean() <= 0.55

    s47 = t["ssd_s47_enquiry"].set_index("s47e_s47_enquiry_id")
    icpc = t["ssd_initial_cp_conference"]
    held = icpc[dates(icpc.icpc_icpc_date).notna() & icpc.icpc_s47_enquiry_id.notna()]
    s47_start = dates(held.icpc_s47_enquiry_id.map(s47.s47e_s47_start_date))
    wd = working_days(s47_start, dates(held.icpc_icpc_date))
    assert 0.70 <= (wd <= 15).mean() <= 0.85
    transfer_in = flags(icpc.icpc_icpc_transfer_in)
    assert transfer_in.any() and icpc.icpc_s47_enquiry_id[transfer_in].isna().all()


def test_rereferrals_repeat_plans_and_reviews(default):
    _, t = default
    episodes = t["ssd_cin_episodes"].assign(day=lambda d: dates(d.cine_referral_date))
    history = episodes[["cine_person_id", "day"]].drop_duplicates().sort_values(["cine_person_id", "day"])
    history["previous"] = history.groupby("cine_person_id").day.shift()
    window = episodes.merge(history, on=["cine_person_id", "day"])
    window = window[in_window(window.day)]
    assert 0.20 <= (window.previous >= window.day - pd.DateOffset(months=12)).mean() <= 0.27

    plans = t["ssd_cp_plans"].assign(start=lambda d: dates(d.cppl_cp_plan_start_date))
    earlier = plans.groupby("cppl_person_id").start.rank(method="min") > 1
    recorded = pd.to_numeric(plans.cppl_number_of_previous_cpp, errors="coerce")
    repeat = (earlier | (recorded > 0))[in_window(plans.start)]
    assert 0.15 <= repeat.mean() <= 0.25
    assert ((recorded > 0) & ~earlier).any()  # a plan before the extract began

    reviews = t["ssd_cp_reviews"].assign(day=lambda d: dates(d.cppr_cp_review_date)).dropna(subset=["day"])
    first = reviews.groupby("cppr_cp_plan_id").day.min()
    gap = (first - plans.set_index("cppl_cp_plan_id").start.reindex(first.index)).dt.days
    assert (gap <= 92).mean() > 0.75


def test_fewer_referrals_in_august(default):
    _, t = default
    days = dates(t["ssd_cin_episodes"].cine_referral_date)
    by_month = days[in_window(days)].dt.month.value_counts()
    assert by_month[8] < 0.85 * by_month[[6, 7, 9]].mean()


def test_early_help_counting_rule_is_met_by_some_assessments_only(default):
    _, t = default
    eh = t["ssd_early_help_episodes"]
    assert set(eh.earl_record_purpose.dropna()) == {"EHA", "REC", "ENQ", "REF"}
    qualifying = eh.earl_assessment_date.notna() & flags(eh.earl_team_around_family) & eh.earl_plan_start_date.notna()
    eha = eh.earl_record_purpose == "EHA"
    assert 0.2 < qualifying[eha].mean() < 0.8 and qualifying[~eha].mean() < 0.05


# ---------------------------------------------------------------------------------------------
# Faults, options, scale
# ---------------------------------------------------------------------------------------------


def test_faults_are_injected_and_documented(faulty):
    t = tables(faulty)
    marker = (faulty / DEMO_MARKER).read_text(encoding="utf-8")
    assert marker.count("la_code=878/") == 10 and "NOT injected" not in marker
    episodes = t["ssd_cin_episodes"]
    assert episodes.cine_referral_id.duplicated().sum() == 1
    assert (episodes.cine_referral_source_code == "ZZ").sum() == 1
    assert (t["ssd_contacts"].cont_contact_date == "31/02/2016").sum() == 1
    assert (t["ssd_cin_plans"].cinp_cin_plan_start_date == "12/31/2016").sum() == 1
    assert (t["ssd_cin_assessments"].cina_assessment_child_seen == "maybe").sum() == 1
    assert not set(t["ssd_cin_assessments"].cina_referral_id) <= set(episodes.cine_referral_id)
    assert not set(episodes.cine_person_id) <= set(t["ssd_person"].pers_person_id)
    plans = t["ssd_cp_plans"]
    assert (dates(plans.cppl_cp_plan_end_date) < dates(plans.cppl_cp_plan_start_date)).sum() == 1
    assert t["ssd_s47_enquiry"].s47e_s47_end_date.str.startswith("2099", na=False).sum() == 1


@pytest.mark.parametrize(
    "change, message",
    [
        ({"la_codes": ["87"]}, "3-digit"),
        ({"la_codes": ["abc"]}, "3-digit"),
        ({"la_codes": []}, "no LA code"),
        ({"start": "2017-01-01"}, "after end"),
        ({"end": "2016-02-30"}, "YYYY-MM-DD"),
        ({"scale": "wales"}, "unknown scale"),
        ({"size": 0}, "size"),
        ({"size": -1.0}, "size"),
    ],
)
def test_bad_options_raise_value_error(tmp_path, change, message):
    with pytest.raises(ValueError, match=message):
        generate(tmp_path, **change)
    assert not any(tmp_path.iterdir())


def test_england_shares_650k_referrals_by_population():
    options = Options(
        la_codes=ENGLAND_LA_CODES,
        scale="england",
        start=date(2013, 4, 1),
        end=date(2016, 9, 30),
        seed=1,
        size=1.0,
        faults=False,
    )
    volumes = referrals_a_year(options)
    assert len(volumes) == 152 and sum(volumes.values()) == pytest.approx(ENGLAND_REFERRALS_PER_YEAR)
    assert volumes["886"] > volumes["878"] > 50 * volumes["201"]  # Kent > Devon > City of London


def test_england_writes_every_council(tmp_path):
    summary = generate(tmp_path, size=0.002, scale="england")
    assert len(list(tmp_path.glob("la_code=*"))) == 152
    assert summary["ssd_cin_episodes"] > 0
