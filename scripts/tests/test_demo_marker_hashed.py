"""csc validate hashes every landing file once (#15): the demo marker's check takes the hashes
validation has just made instead of hashing an England extract a second time."""

from __future__ import annotations

from csc import demo_marker


def _landing(tmp_path):
    folder = tmp_path / "la_code=878"
    folder.mkdir()
    (folder / "ssd_person.csv").write_text("pers_person_id\nP1\n", encoding="utf-8")
    demo_marker.write(tmp_path, "synthetic", [folder])
    return tmp_path, {"la_code=878/ssd_person.csv": demo_marker.file_sha256(folder / "ssd_person.csv")}


def test_the_hashes_given_are_not_made_again(tmp_path, monkeypatch):
    landing, hashed = _landing(tmp_path)
    monkeypatch.setattr(demo_marker, "file_sha256", lambda _: (_ for _ in ()).throw(AssertionError("hashed again")))
    assert demo_marker.check(landing, hashed).synthetic


def test_a_given_hash_that_differs_is_a_changed_file_and_the_answer_is_not_kept(tmp_path):
    landing, hashed = _landing(tmp_path)
    changed = demo_marker.check(landing, dict.fromkeys(hashed, "0" * 64))
    assert not changed.synthetic and "was changed" in changed.reason
    assert demo_marker.check(landing).synthetic, "the key's own check hashes the files itself"


def test_files_not_given_are_hashed_here(tmp_path):
    landing, _ = _landing(tmp_path)
    (landing / "la_code=878" / "ssd_person.csv").write_text("pers_person_id\nP2\n", encoding="utf-8")
    assert not demo_marker.check(landing, {}).synthetic
