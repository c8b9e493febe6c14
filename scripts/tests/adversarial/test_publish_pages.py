"""Issue 12, findings 2 and 5: the pages of a publication never show another council's or
another extract's validation, never carry markup from a landing value, never load anything
from another host, and never quote a date of birth or death.

The first version copied Great Expectations' Data Docs from a target/ folder that any later
validation overwrote (a publication of council 878 held council 879's docs), quoted a landing
value `<img src=x onerror=alert(1)>` unescaped, and loaded 15 scripts and style sheets and a
logo from public CDNs. The shared SYNTHETIC warehouse of test_publish.py has that hostile value
and an impossible date of birth planted in its landing files before it is validated, built
and published.
"""

from __future__ import annotations

import re
import shutil
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from test_publish import HOSTILE, HOSTILE_DOB, checksums, published_warehouse  # noqa: F401

from csc import publish as pub
from csc.publish import pages


class Elements(HTMLParser):
    """Every start tag and attribute a browser would build from the page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += attrs


def elements(text: str) -> Elements:
    parser = Elements()
    parser.feed(text)
    return parser


SAFE_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "h1",
    "h2",
    "p",
    "strong",
    "table",
    "tr",
    "th",
    "td",
    "code",
    "ul",
    "li",
    "a",
    "br",
}


def assert_safe(text: str, where: str) -> None:
    assert not re.search(r"https?://", text, re.IGNORECASE), f"{where}: a web address"
    assert not pages.REMOTE_LOAD.search(text), f"{where}: loads a remote resource"
    found = elements(text)
    assert set(found.tags) <= SAFE_TAGS, f"{where}: unexpected elements {set(found.tags) - SAFE_TAGS}"
    assert not [a for a, _ in found.attributes if a.lower().startswith("on")], f"{where}: an event handler"
    assert all(not (v or "").lower().startswith(("javascript:", "data:")) for _, v in found.attributes)


def test_validation_page_escapes_every_quoted_value(tmp_path):
    hostile = [
        "<img src=x onerror=alert(1)>",
        '"><script>alert(2)</script>',
        "' onmouseover='alert(3)",
        "<a href=https://evil.example/x>x</a>",
        "</td></tr></table><iframe src=//evil>",
    ]
    summary = {
        "validation_id": hostile[1],
        "reporting_date": hostile[0],
        "totals": {"files": hostile[2]},
        "files": [
            {
                "la_code": hostile[3],
                "table": hostile[4],
                "rows": 1,
                "failures": [
                    {
                        "severity": hostile[1],
                        "check": hostile[0],
                        "column": "pers_ethnicity",
                        "count": hostile[2],
                        "message": hostile[4],
                        "examples": [{"line": hostile[0], "value": v} for v in hostile],
                    },
                    {
                        "severity": "warning",
                        "check": "valid_date",
                        "column": "pers_dob",
                        "count": 2,
                        "message": "2 values are not dates: 31/02/2009, 2009-02-30",
                        "examples": [{"line": 2, "value": "31/02/2009"}, {"line": 3, "value": "2009-02-30 00:00:00"}],
                    },
                    {
                        "severity": "warning",
                        "check": "valid_date",
                        "column": "pers_death_date",
                        "count": 1,
                        "message": "",
                        "examples": [{"line": 4, "value": "not a date"}],
                    },
                ],
            }
        ],
    }
    out = tmp_path / "validation.html"
    pages.validation_page(summary, out, synthetic=True)
    text = out.read_text(encoding="utf-8")
    assert_safe(text, "validation page")
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    for secret in ("31/02/2009", "2009-02-30", "not a date"):
        assert secret not in text
    assert text.count(pages.MASK) >= 4


@pytest.mark.parametrize(
    "html, bad",
    [
        ('<link rel="stylesheet" href="https://cdn.example/x.css">', True),
        ("<script src='//cdn.example/x.js'></script>", True),
        ("<img src=https://example.org/logo.png>", True),
        ("<style>@import url(//fonts.example/x.css);</style>", True),
        ("<style>body{background:url('http://x/y.png')}</style>", True),
        ("<script>var a = 1;</script>", True),
        ("<p>See the published tables.</p>", False),
    ],
)
def test_check_html_refuses_remote_references(tmp_path, html, bad):
    (tmp_path / "index.html").write_text(html)
    if bad:
        with pytest.raises(pub.PublishError, match="remote"):
            pages.check_html(tmp_path)
    else:
        pages.check_html(tmp_path)


@pytest.mark.slow
def test_published_pages_are_safe_and_of_this_extract_only(published_warehouse):
    w = published_warehouse
    htmls = sorted(w.published.rglob("*.htm*"))
    assert {p.relative_to(w.published).as_posix() for p in htmls} == {"docs/index.html", "validation/index.html"}
    for page in htmls:
        text = page.read_text(encoding="utf-8")
        assert_safe(text, str(page))
        assert HOSTILE not in text and HOSTILE_DOB not in text
    validation = (w.published / "validation" / "index.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;" in validation, "the hostile value is quoted, escaped"
    assert pages.MASK in validation, "the impossible date of birth is masked"
    assert "879" not in re.sub(r"<[^>]+>", " ", validation).split()
    for path in w.published.rglob("*"):  # in no text file of the publication (the internal
        # dq_issues table holds the invalid value as data, inert until a page renders it)
        if path.is_file() and path.suffix not in (".duckdb", ".parquet"):
            assert HOSTILE.encode() not in path.read_bytes(), path


@pytest.mark.slow
def test_another_councils_validation_is_never_published(published_warehouse, tmp_path, monkeypatch):
    """Council 879's extract validated into the same dbt target after council 878's build:
    publishing 878 is refused (the first version published 879's Data Docs with it)."""
    from csc.generate import generate_extract
    from csc.validate import validate_landing

    w = published_warehouse
    before = checksums(w.published)
    target = tmp_path / "target"
    shutil.copytree(w.target, target, ignore=shutil.ignore_patterns("gx", "data_docs", "compiled", "run"))
    other = tmp_path / "landing_879"
    generate_extract(
        out=other,
        la_codes=["879"],
        scale="la",
        start="2015-04-01",
        end="2016-09-30",
        seed=879,
        size=0.02,
        faults=False,
        progress=False,
    )
    assert not validate_landing(other, out_dir=target, echo=lambda *a: None).fatal
    w.apply(monkeypatch, DBT_TARGET_PATH=str(target))
    result = pub.publish(skip_build=True)
    assert not result and result.stage == "validate", result.message
    assert checksums(w.published) == before
