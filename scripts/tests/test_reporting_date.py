"""csc.reporting_date: the build takes each council's latest event date from the validation
summary while the summary vouches for the landing files, and reads the files only otherwise."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import write_extract, write_table

from csc import landing as reader
from csc import reporting_date as rd
from csc.validate import summary as s


@pytest.fixture
def validated(tmp_path, monkeypatch):
    """A two-council landing and a summary of it, as `csc validate` writes it, in the target."""
    landing = write_extract(tmp_path / "landing", "878")
    write_extract(landing, "879")
    target = tmp_path / "target"
    monkeypatch.setenv("CSC_LANDING_DIR", str(landing))
    monkeypatch.setenv("DBT_TARGET_PATH", str(target))
    latest = rd.latest_event_dates(landing)
    summary = {
        "format_version": 2,
        "validation_id": s.new_validation_id(),
        "landing": str(landing.resolve()),
        "landing_files": s.landing_files(landing),
        "fatal": False,
        "latest_event_dates": {la: d.isoformat() for la, d in latest.items()},
        "latest_event_dates_as_of": date.today().isoformat(),
    }
    s.write_summary(target, summary)
    return landing, target, summary, latest


def _no_reading(monkeypatch):
    def refuse(info):
        raise AssertionError(f"read {info.path} again")

    monkeypatch.setattr(reader, "read_file", refuse)


def test_a_vouching_summary_saves_reading_the_event_files_and_gives_the_same_dates(validated, monkeypatch):
    landing, _, _, latest = validated
    computed = rd.reporting_dates_table(landing).to_pylist()
    _no_reading(monkeypatch)
    assert rd.validated_latest_event_dates(landing) == latest and latest
    assert rd.reporting_dates_table(landing).to_pylist() == computed


def test_a_file_changed_after_validation_is_read_again(validated, monkeypatch):
    landing, *_ = validated
    write_table(landing, "ssd_contacts", "cont_contact_id,cont_person_id\n", "879")
    assert rd.validated_latest_event_dates(landing) is None
    _no_reading(monkeypatch)
    with pytest.raises(AssertionError, match=r"read .* again"):
        rd.reporting_dates_table(landing)


@pytest.mark.parametrize(
    "change",
    [
        {"latest_event_dates_as_of": "2001-01-01"},  # dates bounded by another day's today
        {"latest_event_dates_as_of": None},
        {"latest_event_dates": "not a mapping"},
        {"latest_event_dates": {"878": "31/12/2015"}},
        {"fatal": True},
    ],
)
def test_a_summary_that_cannot_vouch_for_the_dates_is_not_used(validated, change):
    landing, target, summary, _ = validated
    s.write_summary(target, {**summary, **change})
    assert rd.validated_latest_event_dates(landing) is None


def test_validation_writes_the_dates_the_build_reads(tmp_path, monkeypatch):
    from csc.validate import validate_landing

    landing = write_extract(tmp_path / "landing")
    target = tmp_path / "target"
    monkeypatch.setenv("DBT_TARGET_PATH", str(target))
    validate_landing(landing, out_dir=target, echo=lambda *_: None)
    assert rd.validated_latest_event_dates(landing) == rd.latest_event_dates(landing)


def test_inside_csc_build_the_summary_is_checked_against_the_builds_own_hashes(validated, monkeypatch):
    from csc import build_record

    landing, _, _, latest = validated
    files = build_record.landing_manifest(landing)

    def refuse(path):
        raise AssertionError(f"hashed {path} again")

    monkeypatch.setattr(build_record, "sha256_of", refuse)
    with build_record.build_manifest(landing, files):
        assert rd.validated_latest_event_dates(landing) == latest and latest
    # hashes that differ from the summary's are a changed landing: the dates are read again
    changed = [{**files[0], "sha256": "0" * 64}, *files[1:]]
    with build_record.build_manifest(landing, changed):
        assert rd.validated_latest_event_dates(landing) is None
    assert build_record.manifest_of_running_build(landing) is None
