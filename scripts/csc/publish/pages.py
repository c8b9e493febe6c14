"""The HTML a publication carries: a data dictionary of the published tables, and a page of
the validation results. Both are static, written here, escaped, with no script.

The dbt docs site is not published: its single file embeds a tracker that loads a script from
a CDN and some 60 web addresses; `dbt docs generate` also needed a temporary folder that a
killed publish left behind. Analysts who want the lineage graph run `dbt docs serve`.

Great Expectations' Data Docs are not published: they quote raw values unescaped (stored XSS
from a hostile landing value), load scripts, styles and a logo from public CDNs, and live in
a target/ folder any other extract's validation overwrites. Instead `validation_page()` renders
the validation summary that the audit proved describes exactly the published extract: every
value HTML-escaped, values of date-of-birth and date-of-death columns masked, no remote asset,
no script. `check_html()` then refuses any published HTML file that references a remote
resource or carries markup from a landing value.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from .. import duckdb_settings, privacy
from .errors import PublishError

DATE_LIKE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T][0-9:.]+)?|\d{1,2}/\d{1,2}/\d{2,4}")
MASK = "[date masked]"
SCHEME = re.compile(r"https?://", re.IGNORECASE)
SCRIPT = re.compile(r"<\s*script", re.IGNORECASE)
# A remote resource loaded by a page: src/href/action/poster/srcset/url()/@import/fetch of
# http(s) or protocol-relative addresses. (Plain text naming a web address is not a load.)
REMOTE_LOAD = re.compile(
    r"""(?:\b(?:src|href|action|poster|srcset|data|background)\s*=\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:url\(\s*["']?\s*(?:https?:)?//)|(?:@import\s+["']?(?:url\()?\s*["']?(?:https?:)?//)""",
    re.IGNORECASE,
)


def _is_life_date_column(column: str | None) -> bool:
    reason = privacy.forbidden_name_reason(column or "") or ""
    return "date of birth" in reason or "date of death" in reason


def mask(value: object, column: str | None) -> str:
    text = "" if value is None else str(value)
    if _is_life_date_column(column):
        return DATE_LIKE.sub(MASK, text) if DATE_LIKE.search(text) else (MASK if text.strip() else text)
    return text


def _e(value: object) -> str:
    """Text for HTML: markup escaped, and "//" written as "/&#47;" (it reads the same) so that no
    value, not even a web address quoted from a landing file, looks like a remote reference to
    check_html()."""
    return html.escape("" if value is None else str(value), quote=True).replace("//", "/&#47;")


STYLE = """body{font-family:system-ui,sans-serif;margin:2em;color:#111}table{border-collapse:collapse}
td,th{border:1px solid #bbb;padding:.2em .5em;text-align:left;vertical-align:top}
.fatal{color:#a00;font-weight:bold}.warning{color:#850}code{white-space:pre-wrap}"""


def validation_page(summary: dict, out_file: Path, synthetic: bool) -> None:
    """One static page of the validation results of the published extract."""
    totals = summary.get("totals") or {}
    rows = []
    for f in summary.get("files", []):
        for failure in f.get("failures", []):
            column = failure.get("column")
            examples = "; ".join(
                f"line {_e(x.get('line'))}: <code>{_e(mask(x.get('value'), column))}</code>"
                for x in (failure.get("examples") or [])[:5]
            )
            message = mask(failure.get("message"), column) if _is_life_date_column(column) else failure.get("message")
            rows.append(
                f"<tr><td>{_e(f.get('la_code'))}</td><td>{_e(f.get('table'))}</td>"
                f'<td class="{_e(failure.get("severity"))}">{_e(failure.get("severity"))}</td>'
                f"<td>{_e(failure.get('check'))}</td><td>{_e(column)}</td><td>{_e(failure.get('count'))}</td>"
                f"<td>{_e(message)}</td><td>{examples}</td></tr>"
            )
    files = "".join(
        f"<tr><td>{_e(f.get('la_code'))}</td><td>{_e(f.get('table'))}</td><td>{_e(f.get('rows'))}</td>"
        f"<td>{_e(f.get('checks_run'))}</td><td>{_e(f.get('warnings'))}</td><td>{_e(f.get('fatal'))}</td></tr>"
        for f in summary.get("files", [])
    )
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Validation of the published extract</title><style>{STYLE}</style></head><body>
<h1>Validation of the published extract</h1>
{"<p><strong>SYNTHETIC data.</strong></p>" if synthetic else ""}
<p>Validation {_e(summary.get("validation_id"))}; reporting date {_e(summary.get("reporting_date"))}
({_e(summary.get("reporting_date_source"))}); {_e(totals.get("files"))} file(s), {_e(totals.get("rows"))} rows,
{_e(totals.get("checks_run"))} checks: {_e(totals.get("fatal"))} fatal, {_e(totals.get("warnings"))} warning(s).
Dates of birth and death quoted below are masked.</p>
<h2>Files</h2><table><tr><th>LA</th><th>table</th><th>rows</th><th>checks</th><th>warnings</th><th>fatal</th></tr>
{files}</table>
<h2>Problems found</h2><table><tr><th>LA</th><th>table</th><th>severity</th><th>check</th><th>column</th>
<th>count</th><th>message</th><th>examples</th></tr>
{"".join(rows) or '<tr><td colspan="8">none</td></tr>'}</table>
</body></html>
"""
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_text(page, encoding="utf-8")


def data_dictionary(db_file: Path, docs: dict[str, dict], out_file: Path, synthetic: bool) -> None:
    """docs/index.html: every published table with its description, rows and columns (type and
    description), from the dbt manifest of the audited build and the published file itself.
    No script, no style sheet or font from elsewhere; web addresses in descriptions are text,
    never links, so the page never loads or links anything remote."""
    con = duckdb_settings.connect(db_file, read_only=True)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'marts' order by 1"
            ).fetchall()
        ]
        sections, index = [], []
        for t in tables:
            doc = docs.get(t, {})
            rows = con.execute(f'select count(*) from marts."{t}"').fetchall()[0][0]
            columns = con.execute(
                "select column_name, data_type from duckdb_columns() "
                "where schema_name = 'marts' and table_name = ? order by column_index",
                [t],
            ).fetchall()
            body = "".join(
                f"<tr><td><code>{_e(c)}</code></td><td>{_e(kind)}</td>"
                f"<td>{_text(doc.get('columns', {}).get(c, ''))}</td></tr>"
                for c, kind in columns
            )
            index.append(f'<li><a href="#{_e(t)}">{_e(t)}</a></li>')
            sections.append(
                f'<h2 id="{_e(t)}">{_e(t)}</h2><p>{_text(doc.get("description", ""))}</p>'
                f"<p>{rows:,} rows.</p><table><tr><th>column</th><th>type</th>"
                f"<th>description</th></tr>{body}</table>"
            )
    finally:
        con.close()
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Published tables</title><style>{STYLE}</style></head><body>
<h1>Published tables</h1>
{"<p><strong>SYNTHETIC data.</strong></p>" if synthetic else ""}
<p>Schema <code>marts</code> of csc_marts.duckdb; the same tables as Parquet in parquet/.</p>
<ul>{"".join(index)}</ul>
{"".join(sections)}
</body></html>
"""
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_text(page, encoding="utf-8")


def _text(value: str) -> str:
    """Escaped description text (web addresses stay text, never links)."""
    return _e(value or "").replace("\n\n", "<br><br>")


def remote_references(text: str) -> list[str]:
    """Web addresses, remote loads and scripts in a page (none are allowed in a publication)."""
    found = {m.group(0) for m in REMOTE_LOAD.finditer(text)} | set(SCHEME.findall(text))
    return sorted(found | ({"<script"} if SCRIPT.search(text) else set()))


def check_html(folder: Path) -> None:
    """Refuse a publication whose HTML references another host or carries a script."""
    for page in sorted(folder.rglob("*.htm*")):
        found = remote_references(page.read_text(encoding="utf-8", errors="replace"))
        if found:
            raise PublishError(
                "docs",
                f"{page.relative_to(folder)} references remote resources or "
                f"scripts ({', '.join(found[:3])}): nothing published",
            )
