"""The landing reader's output, pinned: every table csc.landing.read_table returns for awkward
files (Windows-1252, byte-order marks, semicolon / tab / pipe delimiters, CRLF, quoted line
breaks, unclosed and irregular quotes, blank lines, ragged rows, Parquet, several councils)
must equal, value for value and type for type, what the reader returned when the expected
file was made (main at 2b45c60, before the read was made faster for issue 15).

The expected tables are in fixtures/landing_reader/expected.json. Regenerate it only when a
change of the reader's output is intended (and say so in the commit):
`.venv/bin/python scripts/tests/adversarial/test_input_reader_identity.py --write`.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from csc import landing

EXPECTED = Path(__file__).resolve().parents[1] / "fixtures" / "landing_reader" / "expected.json"

CONTACTS = "cont_contact_id,cont_person_id,cont_contact_date,cont_contact_source_code,cont_contact_source_desc"
PERSON = "pers_person_id,pers_sex,pers_dob,pers_upn"


def _sep(text: str, delimiter: str) -> str:
    return text.replace(",", delimiter)


def _person_parquet() -> bytes:
    buf = io.BytesIO()
    t = pa.table(
        {
            "PERS_PERSON_ID": pa.array([1, 2, 3], pa.int64()),
            "pers_sex": ["M", None, "F"],
            "pers_dob": pa.array([None, 0, 17000], pa.int32()).cast(pa.date32()),
            "extra": [1.5, None, 2.0],
        }
    )
    pq.write_table(t, buf)
    return buf.getvalue()


def _cases() -> dict[str, dict[str, bytes]]:
    """Each case: a landing folder as {relative path: bytes}."""
    utf8 = "Zoë 日本 – café".encode()
    cp = "École – café “quoted” €5 naïve".encode("cp1252")
    return {
        "utf8_plain": {
            "la_code=878/ssd_contacts.csv": (CONTACTS + "\nC1,P1,2016-01-01,1A,a\nC2,P2,2016-01-02,,b " + "\n").encode()
            + b"C3,P3,2016-01-03,1B,"
            + utf8
            + b"\n"
        },
        "bom_crlf_semicolon": {
            "la_code=878/ssd_contacts.csv": b"\xef\xbb\xbf"
            + _sep(CONTACTS + '\r\nC1,P1,2016-01-01,1A,x\r\nC2,P2,2016-01-02,1A,"y;z"\r\n', ";").encode()
        },
        "cp1252_tab_quotes": {
            "la_code=878/ssd_contacts.csv": _sep(CONTACTS, "\t").encode()
            + b"\nC1\tP1\t2016-01-01\t1A\t"
            + cp
            + b'\nC2\tP2\t2016-01-02\t1A\t"multi\n'
            + cp
            + b'\nline"\nC3\tP3\t2016-01-03\t\t\xa0\x93\x94\x80\n'
        },
        "cp1252_pipe_crlf_ragged": {
            "la_code=878/ssd_contacts.csv": _sep(CONTACTS, "|").encode("cp1252")
            + b"\r\nC1|P1|2016-01-01|1A|"
            + cp
            + b"\r\nC2|P2|"
            + cp
            + b"\r\nC3|P3|2016-01-03|1A|x|y|"
            + cp
            + b'\r\nC4|P4|2016-01-04|1A|"two\r\nlines '
            + cp
            + b'"\r\n'
        },
        "cp1252_unclosed_and_irregular": {
            "la_code=878/ssd_contacts.csv": (CONTACTS + "\n").encode()
            + b"C1,P1,2016-01-01,1A,5'10\" "
            + cp
            + b'\nC2,P2,2016-01-02,1A,"never closed '
            + cp
            + b"\nC3,P3,2016-01-03,1A,"
            + cp
            + b"\n"
        },
        "quoted_line_breaks_and_blank_lines": {
            "la_code=878/ssd_contacts.csv": (
                b'cont_contact_id,"cont_person_id",cont_contact_date,"cont_contact\nsource_code",cont_contact_source_desc\n'
                b'\nC1,P1,2016-01-01,1A,"multi\nline\n\nvalue"\n\n\r\n'
                b'C2,P2,"2016-\r\n01-02",1A,"say ""hi"""\n'
                b"C3,P3,2016-01-03,1A,last"
            )
        },
        "unclosed_quotes": {
            "la_code=878/ssd_contacts.csv": (
                CONTACTS + "\n"
                'C1,P1,2016-01-01,1A,"multi\nline\nvalue"\n'
                "C2,P2,2016-01-02,1A,plain\n"
                'C3,P3,2016-01-03,1A,"unclosed\n'
                "C4,P4,2016-01-04,1A,after\n"
                'C5,P5,"2016-\n01-05",1A,"never closed\n'
                "C6,P6,2016-01-06,1A,ok\n"
                'C7,P7,2016-01-07,1A,"open at the end\n'
            ).encode()
        },
        "two_unclosed_quotes_doubtful": {
            "la_code=878/ssd_contacts.csv": _sep(
                CONTACTS + "\n"
                'C1,P1,2016-01-01,1A,"never closed\n'
                "C2,P2,2016-01-02,1A,ok\n"
                'C3,P3,2016-01-03,1A,"also open\n'
                "C4,P4,2016-01-04,1A,fine\n"
                'C5,P5,2016-01-05,1A,a"b\n'
                'C6,P6,2016-01-06,1A,"x\ny"z\n'
                "C7,P7,2016-01-07,1A,end\n",
                ";",
            ).encode()
        },
        "ragged_rows": {
            "la_code=878/ssd_contacts.csv": (
                CONTACTS + "\n"
                "C1,P1,2016-01-01,1A,a\n"
                "C2,P2\n"
                "C3,P3,2016-01-03,1A,b,extra,more\n"
                '"C4",P4,2016-01-04,1A,"q,r"\n'
                "C5,P5,2016-01-05\n"
                "C6,P6,2016-01-06,1A,c\n"
            ).encode()
        },
        "header_variants": {
            "la_code=878/ssd_contacts.csv": (
                b" CONT_CONTACT_DATE ,Cont_Person_Id,cont_contact_id,unknown_col\n2016-01-01,P1,C1,zz\n2016-01-02,P2,C2,\n"
            ),
            "la_code=879/SSD_CONTACTS.csv": b"",
            "la_code=880/ssd_contacts.csv": (CONTACTS + "\n").encode(),
            "la_code=881/ssd_contacts.csv": b"\n" + (CONTACTS + "\nC1,P1,2016-01-01,1A,x\n").encode(),
            "la_code=882/ssd_contacts.csv": (
                b"cont_contact_id,cont_contact_id,cont_person_id,cont_contact_date\nC1,C1,P1,2016-01-01\n"
            ),
        },
        "many_councils_mixed": {
            **{
                f"la_code={la}/ssd_contacts.csv": (
                    (CONTACTS + "\n").encode()
                    + b"".join(
                        f"C{la}{i},P{i},2016-01-{i + 1:02d},1A,".encode() + (cp if la % 2 else utf8) + b"\n"
                        for i in range(i_max)
                    )
                )
                for la, i_max in [(201, 3), (202, 0), (203, 5), (204, 1), (205, 7), (206, 2), (207, 4)]
            },
            "la_code=202/ssd_person.parquet": _person_parquet(),
            "la_code=203/ssd_person.csv": (PERSON + "\n1,M,2001-01-01,\n2,F,,A123\n").encode(),
        },
        "parquet_only": {"la_code=878/ssd_person.parquet": _person_parquet()},
        "cp1252_undefined_byte": {
            "la_code=878/ssd_contacts.csv": (CONTACTS + "\nC1,P1,2016-01-01,1A,").encode() + b"\xe9\x81\n"
        },
    }


def _write(root: Path, files: dict[str, bytes]) -> Path:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def _read(root: Path, table: str) -> dict:
    try:
        t = landing.read_table(table, root)
    except Exception as exc:  # the error is part of the behaviour pinned
        return {"error": f"{type(exc).__name__}: {exc}".replace(str(root), "<root>")}
    return {
        "schema": [[f.name, str(f.type)] for f in t.schema],
        "rows": [list(r.values()) for r in t.to_pylist()],
    }


def _results(tmp: Path) -> dict:
    out = {}
    for name, files in _cases().items():
        root = _write(tmp / name, files)
        tables = sorted({Path(rel).stem.lower() for rel in files})
        out[name] = {table: _read(root, table) for table in tables}
    return out


def test_every_case_reads_as_pinned(tmp_path):
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    got = json.loads(json.dumps(_results(tmp_path)))  # the same JSON types as the file
    assert sorted(got) == sorted(expected)
    for case in expected:
        assert got[case] == expected[case], case


def test_the_tables_are_identical_not_only_equal_as_json(tmp_path):
    """Types and nulls as well: the stacked table equals one built from the expected rows."""
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    root = _write(tmp_path, _cases()["many_councils_mixed"])
    for table in ("ssd_contacts", "ssd_person"):
        want = expected["many_councils_mixed"][table]
        schema = pa.schema([(n, pa.int64() if t == "int64" else pa.string()) for n, t in want["schema"]])
        rows = [dict(zip(schema.names, r)) for r in want["rows"]]
        assert landing.read_table(table, root).equals(pa.Table.from_pylist(rows, schema=schema))


def test_the_stream_the_build_takes_in_is_the_same_table(tmp_path):
    """The build's plugin takes each table in as a stream of record batches
    (landing.stream_table, a few files held at a time): the same rows, columns and types as
    read_table, and the same error where read_table raises one."""
    for name, files in _cases().items():
        root = _write(tmp_path / name, files)
        for table in sorted({Path(rel).stem.lower() for rel in files}):
            try:
                whole = landing.read_table(table, root)
            except Exception as exc:
                try:
                    landing.stream_table(table, root).read_all()
                except Exception as streamed:
                    assert type(streamed) is type(exc) and str(streamed) == str(exc), name
                else:
                    raise AssertionError(f"{name}: the stream read what read_table refused")
                continue
            streamed = landing.stream_table(table, root)
            assert streamed.schema == whole.schema, name
            assert streamed.read_all().equals(whole), name


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        EXPECTED.parent.mkdir(parents=True, exist_ok=True)
        EXPECTED.write_text(json.dumps(_results(Path(tmp)), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {EXPECTED}")
