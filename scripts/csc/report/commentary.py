"""The service's own commentary and actions, per report section, from a Markdown file.

    csc report --commentary-template commentary.md     write the file to fill in
    csc report --commentary commentary.md ...          the report with it

The file is one `## ` heading per part of the report (the executive summary, then each
section, by its title as the report prints it); the text under a heading is placed where the
council's own report has it: the summary's under the key messages, each section's after its
introduction and before its measures, headed "Commentary and actions". A heading left empty
(or only the template's HTML comment) leaves that place empty. Headings must not be renamed;
an unknown heading stops the report with a one-line error naming it.

Markdown understood: paragraphs, `- ` or `* ` bullet lists, `1. ` numbered lists, **bold**
and *italic*. Everything else is shown as written (HTML in the file is escaped, never run).
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from markupsafe import Markup

from .data import ReportError

SUMMARY_KEY = "summary"
SUMMARY_TITLE = "Executive summary"
HINT = "<!-- Write here, or leave empty. Markdown: paragraphs, - bullet lists, **bold**. -->"
_HEADING = re.compile(r"^##\s+(?:\d+\.\s+)?(.+?)\s*$")
_BULLET = re.compile(r"^\s*[-*]\s+")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+")


def parts(sections) -> list[tuple[str, str]]:
    """(key, title) of every place commentary can go, in report order."""
    return [(SUMMARY_KEY, SUMMARY_TITLE)] + [(s.key, s.title) for s in sections]


def template(sections, la_name: str = "", quarter: str = "", filled: dict[str, str] | None = None) -> str:
    """The commentary file: a title, then one heading per part (with `filled` text, if given)."""
    filled = filled or {}
    head = "# Commentary" + (f": {la_name}" if la_name else "") + (f", {quarter}" if quarter else "")
    out = [head, "", "<!-- One heading per part of the report; keep the headings as they are. -->", ""]
    number = 0
    for key, title in parts(sections):
        if key != SUMMARY_KEY:
            number += 1
        out.append(f"## {number}. {title}" if key != SUMMARY_KEY else f"## {title}")
        out.append("")
        text = (filled.get(key) or "").strip()
        out.append(text if text else HINT)
        out.append("")
    return "\n".join(out)


def parse(text: str, sections, source: str = "commentary") -> dict[str, str]:
    """{part key: Markdown text} from a commentary file; empty parts are left out."""
    by_title = {title.casefold(): key for key, title in parts(sections)}
    found: dict[str, list[str]] = {}
    current: str | None = None
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        m = _HEADING.match(line)
        if m:
            key = by_title.get(m.group(1).casefold())
            if key is None:
                raise ReportError(
                    f"{source} line {number}: unknown heading {line.strip()!r} (expected one of: "
                    + ", ".join(t for _, t in parts(sections))
                    + ")"
                )
            if key in found:
                raise ReportError(f"{source} line {number}: heading {line.strip()!r} appears twice")
            current = key
            found[key] = []
        elif current is not None:
            found[current].append(line)
        elif line.strip() and not line.startswith("# ") and not _only_comments(line):
            raise ReportError(f"{source} line {number}: text before the first '## ' heading")
    out = {}
    for key, lines in found.items():
        body = _strip_comments("\n".join(lines)).strip()
        if body:
            out[key] = body
    return out


def read(path: Path, sections) -> dict[str, str]:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ReportError(f"commentary file {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ReportError(f"commentary file {path}: not UTF-8 text") from None
    return parse(text, sections, source=str(path))


def _strip_comments(text: str) -> str:
    return re.sub(r"<!--.*?-->", "", text, flags=re.S)


def _only_comments(line: str) -> bool:
    return not _strip_comments(line).strip()


def _inline(text: str) -> str:
    html = escape(text, quote=False)
    html = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", html)
    html = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<em>\1</em>", html)
    return html


def to_html(markdown: str) -> Markup:
    """The small Markdown subset above as HTML (escaped: nothing in the file runs)."""
    blocks = re.split(r"\n\s*\n", markdown.strip())
    out = []
    for block in blocks:
        lines = [line.rstrip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if all(_BULLET.match(line) for line in lines):
            items = "".join("<li>" + _inline(_BULLET.sub("", line)) + "</li>" for line in lines)
            out.append(f"<ul>{items}</ul>")
        elif all(_NUMBERED.match(line) for line in lines):
            items = "".join("<li>" + _inline(_NUMBERED.sub("", line)) + "</li>" for line in lines)
            out.append(f"<ol>{items}</ol>")
        else:
            out.append(f"<p>{_inline(' '.join(line.strip() for line in lines))}</p>")
    return Markup("\n".join(out))
