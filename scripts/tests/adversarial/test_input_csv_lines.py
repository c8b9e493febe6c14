"""Finding 8 (landing CSV part) of issue 12: line numbers are physical lines, quote-aware.

The issue: line numbers in dq_issues were 2 too low after a quoted newline, and an unclosed
quote swallowed the next record silently. The referee is Python's csv module: for random
files (quoted line breaks, doubled quotes, delimiters in values, blank lines, CRLF, unicode,
bare quotes inside unquoted values) every record's values and starting line must agree.
"""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pytest

from csc import landing

COLUMNS = ["cont_contact_id", "cont_person_id", "cont_contact_date", "cont_contact_source_desc"]
PIECES = ["a", "b", "Zoë", "日本", " ", ",", ";", '"', '""', "\n", "x\ny", "1", "", "O'Neil", "\t"]


def _write(root: Path, text: str, delimiter: str = ",") -> Path:
    folder = root / "la_code=878"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "ssd_contacts.csv"
    path.write_bytes(text.encode("utf-8"))
    return root


def _referee(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """(start line, fields) of each data record, by the csv module."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    out, previous = [], 0
    for row in reader:
        start = previous + 1
        previous = reader.line_num
        if row:
            out.append((start, row))
    return out[1:]


def _ours(root: Path) -> list[tuple[int, list[str]]]:
    t = landing.read_table("ssd_contacts", root)
    rows = t.select([*COLUMNS, "_line_number", "_parse_error"]).to_pylist()
    assert all(r["_parse_error"] is None for r in rows), [r for r in rows if r["_parse_error"]]
    return sorted((r["_line_number"], [r[c] for c in COLUMNS]) for r in rows)


def _random_value(rnd: random.Random) -> str:
    return "".join(rnd.choice(PIECES) for _ in range(rnd.randint(0, 4)))


def _random_file(rnd: random.Random, delimiter: str, eol: str, irregular: bool) -> str:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, delimiter=delimiter, lineterminator=eol)
    w.writerow(COLUMNS)
    for i in range(rnd.randint(1, 40)):
        row = [f"C{i}", f"P{i}", "2016-01-01", _random_value(rnd)]
        if irregular and rnd.random() < 0.3:
            # a bare quote inside an unquoted value, as spreadsheets write heights and inches
            buf.write(delimiter.join([f"C{i}", f"P{i}", "2016-01-01", rnd.choice(["5'10\"", 'a"b', 'x"'])]) + eol)
        else:
            w.writerow(row)
        if rnd.random() < 0.1:
            buf.write(eol)  # a blank line
    return buf.getvalue()


@pytest.mark.parametrize("seed", range(60))
def test_records_and_lines_agree_with_the_csv_module(seed, tmp_path):
    rnd = random.Random(seed)
    delimiter = rnd.choice([",", ";", "|", "\t"])
    eol = rnd.choice(["\n", "\r\n"])
    text = _random_file(rnd, delimiter, eol, irregular=seed % 3 == 0)
    root = _write(tmp_path, text)
    expected = _referee(text, delimiter)
    got = _ours(root)
    assert [line for line, _ in got] == [line for line, _ in expected]
    assert (
        got == [(line, [v.replace("\r\n", "\n") if eol == "\r\n" else v for v in fields]) for line, fields in expected]
        or got == expected
    )


def _quotes_regular_by_hand(data: bytes, delimiter: int) -> bool:
    """The RFC 4180 placement rule, one quote at a time: the n-th quote (from 0) opens a value
    when n is even (preceded by the start, a delimiter, a line break or a quote) and closes
    one when n is odd (followed by the end, a delimiter, a line break or a quote)."""
    beside = (delimiter, 0x0A, 0x0D, 0x22)
    quotes = [i for i, b in enumerate(data) if b == 0x22]
    for n, i in enumerate(quotes):
        neighbour = (data[i - 1] if i > 0 else None) if n % 2 == 0 else (data[i + 1] if i < len(data) - 1 else None)
        if neighbour is not None and neighbour not in beside:
            return False
    return True


@pytest.mark.parametrize("delimiter", [",", ";", "|", "\t"])
def test_quote_placement_check_agrees_with_the_rule_by_hand(delimiter):
    """landing._regular_quotes (vectorised, decides whether quote parity alone finds the
    records) against the rule applied by hand, on short random byte strings: quotes at the
    very start and end, doubled, next to CR, LF and other delimiters."""
    import numpy as np

    rnd = random.Random(delimiter)
    alphabet = [b"a", b",", b";", b"|", b"\t", b'"', b'""', b"\n", b"\r", b" "]
    for _ in range(5000):
        data = b"".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 10)))
        a = np.frombuffer(data, dtype=np.uint8)
        qpos = np.flatnonzero(a == 0x22)
        assert landing._regular_quotes(a, qpos, ord(delimiter)) == _quotes_regular_by_hand(data, ord(delimiter)), data


def test_issue_example_quoted_newline_then_unclosed_quote(tmp_path):
    text = (
        "cont_contact_id,cont_person_id,cont_contact_date,cont_contact_source_desc\n"
        'C1,P1,2016-01-01,"multi\nline\nvalue"\n'  # lines 2-4
        "C2,P2,2016-01-02,plain\n"  # line 5 (was reported as 3)
        'C3,P3,2016-01-03,"unclosed\n'  # line 6: the quote never closes
        "C4,P4,2016-01-04,after\n"  # line 7 (was swallowed into C3)
        "C5,P5,2016-01-05,last\n"
    )  # line 8
    root = _write(tmp_path, text)
    t = landing.read_table("ssd_contacts", root)
    rows = {r["cont_contact_id"]: r for r in t.to_pylist()}
    assert {k: r["_line_number"] for k, r in rows.items()} == {"C1": 2, "C2": 5, "C3": 6, "C4": 7, "C5": 8}
    assert rows["C1"]["cont_contact_source_desc"] == "multi\nline\nvalue"
    assert rows["C4"]["cont_contact_source_desc"] == "after" and rows["C4"]["_parse_error"] is None
    assert "unclosed quote" in rows["C3"]["_parse_error"] and "line 6" in rows["C3"]["_parse_error"]


def test_unclosed_quote_spanning_a_multiline_record(tmp_path):
    text = (
        "cont_contact_id;cont_person_id;cont_contact_date;cont_contact_source_desc\r\n"
        'C1;P1;"2016-\r\n01-01";"never closed\r\n'
        "C2;P2;2016-01-02;ok\r\n"
    )
    root = _write(tmp_path, text)
    rows = {r["cont_contact_id"]: r for r in landing.read_table("ssd_contacts", root).to_pylist()}
    assert {k: (r["_line_number"], r["_parse_error"] is not None) for k, r in rows.items()} == {
        "C1": (2, True),
        "C2": (4, False),
    }
    assert "lines 2-3" in rows["C1"]["_parse_error"]


def test_two_unclosed_quotes_do_not_swallow_the_records_between_them_silently(tmp_path):
    """The second stray quote closes the first one's value, so the csv module and pyarrow read
    one record over four lines with the right number of fields. It is quarantined, with its line."""
    text = (
        "cont_contact_id;cont_person_id;cont_contact_date;cont_contact_source_desc\n"
        'C1;P1;2016-01-01;"never closed\n'
        "C2;P2;2016-01-02;ok\n"
        'C3;P3;2016-01-03;"also open\n'
        "C4;P4;2016-01-04;fine\n"
    )
    root = _write(tmp_path, text)
    rows = {r["cont_contact_id"]: r for r in landing.read_table("ssd_contacts", root).to_pylist()}
    assert {k: (r["_line_number"], r["_parse_error"] is not None) for k, r in rows.items()} == {
        "C1": (2, True),
        "C4": (5, False),
    }
    assert "unclosed quote" in rows["C1"]["_parse_error"]


def test_a_quoted_line_break_in_the_header(tmp_path):
    text = 'cont_contact_id,"cont_person_id",cont_contact_date,"cont_contact\nsource"\nC1,P1,2016-01-01,x\n'
    root = _write(tmp_path, text)
    rows = landing.read_table("ssd_contacts", root).to_pylist()
    assert [(r["cont_contact_id"], r["_line_number"], r["_parse_error"]) for r in rows] == [("C1", 3, None)]


@pytest.mark.slow
def test_line_numbers_reach_dq_issues_through_the_build(tmp_path, monkeypatch):
    """A duplicate key after a quoted newline is reported in marts.dq_issues on its real line."""
    import duckdb
    from conftest import MINIMAL_EXTRACT, write_extract, write_table

    from csc.build import dbt_run

    root = write_extract(tmp_path / "landing")
    contacts = MINIMAL_EXTRACT["ssd_contacts"].replace(
        "C1,P1,2016-01-04,1A,Individual,", 'C1,P1,2016-01-04,1A,"Indi\nvid\nual",'
    )
    contacts += "C1,P1,2016-01-05,1A,again,\n"  # a duplicate key, physical line 7
    write_table(root, "ssd_contacts", contacts)
    monkeypatch.setenv("CSC_LANDING_DIR", str(root))
    monkeypatch.setenv("CSC_DUCKDB_PATH", str(tmp_path / "csc.duckdb"))
    monkeypatch.setenv("CSC_PSEUDONYM_KEY", "test-key-lines")
    monkeypatch.setenv("CSC_REPORTING_DATE", "2016-09-30")
    assert dbt_run(
        "build",
        "--select",
        "+dq_issues",
        "--exclude-resource-type",
        "test",
        "--exclude-resource-type",
        "unit_test",
        "--target-path",
        str(tmp_path / "target"),
        "--log-path",
        str(tmp_path / "logs"),
    )
    with duckdb.connect(str(tmp_path / "csc.duckdb"), read_only=True) as con:
        lines = con.execute(
            "select line_number from marts.dq_issues where table_name = 'ssd_contacts' "
            "and rule_code = 'DUPLICATE_KEY' order by 1"
        ).fetchall()
    # The first copy is kept; the later one is quarantined, on its physical line (one severity
    # model: duplicate keys are judged per council, later copies quarantined).
    assert lines == [(7,)], lines
