"""validation_summary.json format 2: written whole or not at all, and refused by
verify_summary when it cannot vouch for the landing folder as it is now."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import write_extract

from csc.validate import summary as s
from csc.validate.summary import SummaryError, verify_summary


def _summary(landing, **overrides) -> dict:
    return {
        "format_version": 2,
        "validation_id": s.new_validation_id(),
        "landing": str(landing.resolve()),
        "landing_files": s.landing_files(landing),
        "fatal": False,
        **overrides,
    }


def test_a_good_summary_vouches_for_its_landing(tmp_path):
    landing = write_extract(tmp_path / "landing")
    s.write_summary(tmp_path / "out", _summary(landing))
    assert verify_summary(landing, tmp_path / "out")["format_version"] == 2
    assert not list((tmp_path / "out").glob("*.tmp-*")), "no temporary file is left behind"


def test_checking_a_summary_does_not_import_pandas(tmp_path):
    """csc build and publish check the summary before anything else: pandas is validation's,
    0.35-0.7 s of each of those commands (#15). numpy and pyarrow come with the landing
    reader, whose file list the check hashes (csc.build_record.landing_manifest)."""
    landing = write_extract(tmp_path / "landing")
    s.write_summary(tmp_path / "out", _summary(landing))
    code = (
        "import sys; from pathlib import Path; from csc.build_record import verify_validation; "
        f"assert verify_validation(Path({str(landing)!r}), Path({str(tmp_path / 'out')!r}))['fatal'] is False; "
        "print('pandas' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    "problem, message",
    [
        ("missing", "no validation summary"),
        ("corrupt", "cannot be read"),
        ("format1", "not format 2"),
        ("other_landing", "not "),
        ("fatal", "fatal problems"),
        ("changed_file", "changed since it was validated"),
        ("added_file", "changed since it was validated"),
    ],
)
def test_publish_refuses_a_summary_that_cannot_vouch(tmp_path, problem, message):
    landing = write_extract(tmp_path / "landing")
    out = tmp_path / "out"
    summary = _summary(landing)
    if problem == "format1":
        summary["format_version"] = 1
    if problem == "other_landing":
        summary["landing"] = str(tmp_path / "elsewhere")
    if problem == "fatal":
        summary["fatal"] = True
    s.write_summary(out, summary)
    if problem == "missing":
        s.forget_summary(out)
    if problem == "corrupt":
        (out / s.SUMMARY_NAME).write_text(json.dumps(summary)[:40], encoding="utf-8")
    if problem == "changed_file":
        with (landing / "la_code=878" / "ssd_contacts.csv").open("a", encoding="utf-8") as f:
            f.write("C9,P1,2016-03-01,1A,x,\n")
    if problem == "added_file":
        (landing / "la_code=879").mkdir()
        (landing / "la_code=879" / "ssd_person.csv").write_text("pers_person_id\nP1\n", encoding="utf-8")
    with pytest.raises(SummaryError, match=message):
        verify_summary(landing, out)


def test_a_write_that_fails_midway_leaves_the_old_summary_whole(tmp_path, monkeypatch):
    out = tmp_path / "out"
    s.write_summary(out, {"format_version": 2, "validation_id": "old"})

    def broken_replace(*_):
        raise OSError("disk full")

    monkeypatch.setattr(s.os, "replace", broken_replace)
    with pytest.raises(OSError):
        s.write_summary(out, {"format_version": 2, "validation_id": "new"})
    assert json.loads((out / s.SUMMARY_NAME).read_text())["validation_id"] == "old"
    assert not list(out.glob("*.tmp-*"))
