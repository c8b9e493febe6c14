"""Finding 8 (census XML part) of issue 12: a hostile return cannot exhaust the importer.

The issue: 200,000 nested elements gave a RecursionError traceback; one 50 MB text node a
1.7 GB peak and a DuckDB error. Now each tree (the Header, one Child) is bounded in depth,
elements and text (csc.cin_census.xmlio); a child over a bound is skipped with a message
naming its line, the other children are imported, and memory stays flat.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from csc.cin_census import import_cin_census
from csc.cin_census.xmlio import (
    MAX_TREE_DEPTH,
    MAX_TREE_ELEMENTS,
    MAX_TREE_TEXT,
    CinCensusFormatError,
    write_cin_census_xml,
)

CHILD = {
    "id": "C1",
    "dob": "2010-01-01",
    "sex": "M",
    "ethnicity": "WBRI",
    "disabilities": ["NONE"],
    "episodes": [{"referral_date": "2015-06-01", "source": "1A", "need": "N1", "nfa": False}],
}


def _return(path: Path, replace: str, by: str, children: int = 3) -> Path:
    write_cin_census_xml(path, [dict(CHILD, id=f"C{i}") for i in range(1, children + 1)], year=2016)
    text = path.read_text(encoding="utf-8")
    assert replace in text
    path.write_text(text.replace(replace, by, 1), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            if needle in line:
                return n
    raise AssertionError(needle)


HOSTILE = {
    "200,000 nested elements": (
        "<LAchildID>C2</LAchildID>",
        "<LAchildID>C2</LAchildID>" + "<x>" * 200_000 + "</x>" * 200_000,
        f"nested more than {MAX_TREE_DEPTH} levels",
    ),
    "200,000 sibling elements": (
        "<LAchildID>C2</LAchildID>",
        "<LAchildID>C2</LAchildID>" + "<x/>" * 200_000,
        f"more than {MAX_TREE_ELEMENTS:,} elements",
    ),
    "a 5 MB text node": (
        "<LAchildID>C2</LAchildID>",
        "<LAchildID>C2" + "A" * 5_000_000 + "</LAchildID>",
        f"more than {MAX_TREE_TEXT:,} characters",
    ),
}


@pytest.mark.parametrize("case", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_child_over_a_bound_is_skipped_with_its_line(case, tmp_path):
    replace, by, message = case
    xml = _return(tmp_path / "return.xml", replace, by)
    child_line = _line_of(xml, "<LAchildID>C2") - 2  # <Child> is two lines above
    said: list[str] = []
    summary = import_cin_census(xml, tmp_path / "landing", echo=said.append)
    assert (summary.children_read, summary.children_imported, summary.children_skipped) == (3, 2, 1)
    errors = [s for s in said if s.startswith("error:")]
    assert len(errors) == 1 and message in errors[0] and f"line {child_line}:" in errors[0], errors
    assert "AAAA" not in "\n".join(said)
    persons = (tmp_path / "landing" / "la_code=878" / "ssd_person.csv").read_text().splitlines()
    assert [p.split(",")[0] for p in persons[1:]] == ["C1", "C3"]


def test_a_header_over_a_bound_is_a_clear_error(tmp_path):
    xml = _return(
        tmp_path / "return.xml",
        "<Collection>CIN</Collection>",
        "<Collection>CIN</Collection>" + "<y>" * 100 + "</y>" * 100,
    )
    with pytest.raises(CinCensusFormatError, match=r"line \d+: <Header> is nested more than"):
        import_cin_census(xml, tmp_path / "landing", echo=lambda _: None)


def test_the_deep_file_through_the_command_line_has_no_traceback(tmp_path):
    xml = _return(
        tmp_path / "return.xml",
        "<LAchildID>C2</LAchildID>",
        "<LAchildID>C2</LAchildID>" + "<x>" * 200_000 + "</x>" * 200_000,
    )
    csc = Path(sys.executable).parent / "csc"  # the installed command
    run = subprocess.run(
        [str(csc), "import-cin-census", str(xml), "--landing", str(tmp_path / "landing")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    out = run.stdout + run.stderr
    assert run.returncode == 1 and "Traceback" not in out and "RecursionError" not in out, out[-2000:]
    assert "child skipped" in out


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmHWM from /proc (Linux)")
def test_a_50_mb_text_node_imports_in_flat_memory(tmp_path):
    """Peak resident memory of the whole import, in a process of its own (was ~0.9-1.7 GB and a
    DuckDB error)."""
    xml = _return(
        tmp_path / "return.xml",
        "<LAchildID>C2</LAchildID>",
        "<LAchildID>C2" + "A" * (50 * 1024 * 1024) + "</LAchildID>",
    )
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the forking parent (pytest).
    code = (
        "import re\n"
        "from csc.cin_census import import_cin_census\n"
        f"s = import_cin_census({str(xml)!r}, {str(tmp_path / 'landing')!r}, echo=lambda _: None)\n"
        "hwm = re.search(r'VmHWM:\\s+(\\d+) kB', open('/proc/self/status').read()).group(1)\n"
        "print(s.children_imported, s.children_skipped, int(hwm) // 1024)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    imported, skipped, peak_mb = map(int, run.stdout.split())
    assert (imported, skipped) == (2, 1)
    assert peak_mb < 300, f"peak {peak_mb} MB"  # ~130 MB, nearly all of it the imported modules
