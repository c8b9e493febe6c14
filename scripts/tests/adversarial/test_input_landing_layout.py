"""Finding 7 of issue 12: nothing in the landing folder is ignored silently.

csc.landing.scan is the one place that decides the layout; validation reports what it refuses
(fatal or warning) and the dbt plugin refuses to build while anything is fatal. Each hostile
entry is tried alone against the scan and the plugin, and all together through `csc validate`.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

import pytest
from conftest import MINIMAL_EXTRACT, write_extract

from csc import dbt_plugin, landing
from csc.validate import validate_landing

SECRET_LINE = "root-secret-line:x:0:0:do-not-print-me"


def _outside_file(tmp_path: Path) -> Path:
    target = tmp_path / "outside" / "passwd"
    target.parent.mkdir(exist_ok=True)
    target.write_text(f"{SECRET_LINE}\nsecond:line\n")
    return target


def _folder(name: str):
    def make(landing_dir: Path, tmp_path: Path) -> None:
        (landing_dir / name).mkdir()
        (landing_dir / name / "ssd_person.csv").write_text(MINIMAL_EXTRACT["ssd_person"])

    return make


def _twin(first: str, second: str):
    def make(landing_dir: Path, tmp_path: Path) -> None:
        folder = landing_dir / "la_code=878"
        (folder / first).write_text(MINIMAL_EXTRACT["ssd_contacts"])
        if second.endswith(".parquet"):
            import pyarrow as pa
            import pyarrow.parquet as pq

            pq.write_table(pa.table({"cont_contact_id": ["C9"]}), folder / second)
        else:
            (folder / second).write_text(MINIMAL_EXTRACT["ssd_contacts"])

    return make


def _dir_as_table(landing_dir: Path, tmp_path: Path) -> None:
    (landing_dir / "la_code=878" / "ssd_cin_plans.csv").unlink()
    (landing_dir / "la_code=878" / "ssd_cin_plans.csv").mkdir()


def _symlink_file_out(landing_dir: Path, tmp_path: Path) -> None:
    (landing_dir / "la_code=878" / "ssd_disability.csv").unlink()
    (landing_dir / "la_code=878" / "ssd_disability.csv").symlink_to(_outside_file(tmp_path))


def _symlink_folder_out(landing_dir: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside_council"
    write_extract(outside, la_code="879")
    (landing_dir / "la_code=879").symlink_to(outside / "la_code=879", target_is_directory=True)


def _dangling_symlink(landing_dir: Path, tmp_path: Path) -> None:
    (landing_dir / "la_code=878" / "ssd_cp_reviews.csv").unlink()
    (landing_dir / "la_code=878" / "ssd_cp_reviews.csv").symlink_to(tmp_path / "nowhere.csv")


def _unknown_code(landing_dir: Path, tmp_path: Path) -> None:
    write_extract(landing_dir, la_code="999")


def _council_folder_is_a_file(landing_dir: Path, tmp_path: Path) -> None:
    (landing_dir / "la_code=879").write_text("not a folder")


FATAL_CASES = {
    "la_code=abc": _folder("la_code=abc"),
    "la_code=8788": _folder("la_code=8788"),
    "la_code=87": _folder("la_code=87"),
    "'la_code=878 '": _folder("la_code=878 "),
    "LA_CODE=879": _folder("LA_CODE=879"),
    "la_code= 879": _folder("la_code= 879"),
    "la_code=879\\n": _folder("la_code=879\n"),
    "la_code=999 (not a DfE code)": _unknown_code,
    "la_code=879 is a file": _council_folder_is_a_file,
    "ssd_contacts.csv + SSD_CONTACTS.csv": _twin("SSD_CONTACTS.csv", "ssd_contacts.csv"),
    "ssd_contacts.csv + ssd_contacts.parquet": _twin("ssd_contacts.csv", "ssd_contacts.parquet"),
    "ssd_contacts.csv + ssd_contacts.CSV": _twin("ssd_contacts.csv", "ssd_contacts.CSV"),
    "directory ssd_cin_plans.csv": _dir_as_table,
    "ssd_disability.csv -> outside file": _symlink_file_out,
    "la_code=879 -> outside folder": _symlink_folder_out,
    "dangling symlink": _dangling_symlink,
}


def _stray_top_file(landing_dir: Path, tmp_path: Path) -> None:
    (landing_dir / "notes.txt").write_text("hello")


def _stray_csv_at_top(landing_dir: Path, tmp_path: Path) -> None:
    (landing_dir / "ssd_person.csv").write_text(MINIMAL_EXTRACT["ssd_person"])


def _stray_in_council(landing_dir: Path, tmp_path: Path) -> None:
    (landing_dir / "la_code=878" / "ssd_person.xlsx").write_text("x")


def _stray_folder(landing_dir: Path, tmp_path: Path) -> None:
    (landing_dir / "archive").mkdir()


WARNING_CASES = {
    "notes.txt at the top": _stray_top_file,
    "a table file outside any council folder": _stray_csv_at_top,
    "ssd_person.xlsx in a council folder": _stray_in_council,
    "a stray folder": _stray_folder,
}


@pytest.fixture
def base(tmp_path) -> Path:
    return write_extract(tmp_path / "landing")


def _problems(landing_dir: Path) -> list[landing.LandingProblem]:
    return landing.inventory(landing_dir).problems


@pytest.mark.parametrize("make", FATAL_CASES.values(), ids=FATAL_CASES.keys())
def test_fatal_entries_are_reported_and_refused_by_the_build(make, base, tmp_path, monkeypatch):
    make(base, tmp_path)
    problems = _problems(base)
    assert [p.severity for p in problems] and all(p.severity == landing.FATAL for p in problems), problems
    assert SECRET_LINE not in "".join(str(p) for p in problems)
    monkeypatch.setenv("CSC_LANDING_DIR", str(base))
    monkeypatch.setenv("CSC_PSEUDONYM_KEY", "test-key")
    with pytest.raises(dbt_plugin.LandingRefused) as refused:
        dbt_plugin.preflight()
    assert "\n" not in refused.value.msg and SECRET_LINE not in refused.value.msg


@pytest.mark.parametrize("make", WARNING_CASES.values(), ids=WARNING_CASES.keys())
def test_stray_entries_are_warnings(make, base, tmp_path, monkeypatch):
    make(base, tmp_path)
    problems = _problems(base)
    assert len(problems) == 1 and problems[0].severity == landing.WARNING, problems
    monkeypatch.setenv("CSC_LANDING_DIR", str(base))
    monkeypatch.setenv("CSC_PSEUDONYM_KEY", "test-key")
    dbt_plugin.preflight()  # a warning does not stop the build


def test_a_clean_landing_has_no_problems(base):
    assert _problems(base) == []
    assert landing.check_layout(base).files


def test_refused_files_are_never_read(base, tmp_path):
    _symlink_file_out(base, tmp_path)
    _twin("SSD_CONTACTS.csv", "ssd_contacts.csv")(base, tmp_path)
    _dir_as_table(base, tmp_path)
    for table in ("ssd_disability", "ssd_contacts", "ssd_cin_plans"):
        assert landing.read_table(table, base).num_rows == 0
    inventory = landing.inventory(base)
    assert not [
        i for i in inventory if i.table in ("ssd_disability", "ssd_contacts", "ssd_cin_plans") and i.format != "missing"
    ]
    # a refused table is not reported a second time as "not supplied"
    assert not [i for i in inventory if i.table in ("ssd_contacts", "ssd_cin_plans")]


def test_validate_reports_every_hostile_entry(base, tmp_path, codes_file):
    """All the cases in one landing folder, through csc validate: each named, fatal ones
    fatal, and the outside file's contents nowhere in the output, summary or Data Docs."""
    for make in [*FATAL_CASES.values(), *WARNING_CASES.values()]:
        with contextlib.suppress(FileExistsError):
            make(base, tmp_path)
    lines: list[str] = []
    out = tmp_path / "out"
    result = validate_landing(base, out_dir=out, codes_file=codes_file, echo=lines.append)
    assert result.fatal
    layout = [f for f in result.extract_findings if f.check == "landing_layout"]
    printed = "\n".join(lines)
    for name in (
        "la_code=abc",
        "la_code=8788",
        "la_code=87:",
        "la_code=999",
        "'la_code=878 '",
        "LA_CODE=879",
        "SSD_CONTACTS.csv",
        "ssd_contacts.parquet",
        "ssd_cin_plans.csv",
        "ssd_disability.csv",
        "la_code=879",
        "notes.txt",
        "ssd_person.xlsx",
        "archive",
    ):
        assert any(name in f.message for f in layout), name
        assert name in printed, name
    fatal_names = {f.message.split(":")[0] for f in layout if f.severity == "fatal"}
    assert "la_code=878/ssd_cin_plans.csv" in fatal_names and "LA_CODE=879" in fatal_names
    everything = printed + json.dumps(json.loads((out / "validation_summary.json").read_text()))
    for path in out.rglob("*"):
        if path.is_file():
            everything += path.read_text(errors="replace")
    assert SECRET_LINE not in everything and "do-not-print-me" not in everything


def test_old_symlink_leak_is_closed(base, tmp_path):
    """The issue: `ssd_disability.csv -> /etc/passwd` was followed and its first line printed
    as unknown column names. Now the file is never opened."""
    _symlink_file_out(base, tmp_path)
    opened = []
    real_open = Path.open

    def spy(self, *args, **kwargs):
        opened.append(str(self))
        return real_open(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Path, "open", spy)
        mp.setattr(Path, "read_bytes", lambda self: (opened.append(str(self)), real_open(self, "rb").read())[1])
        landing.inventory(base)
        landing.read_table("ssd_disability", base)
    assert not [p for p in opened if "disability" in p or "passwd" in p]
    assert os.path.exists(tmp_path / "outside" / "passwd")
