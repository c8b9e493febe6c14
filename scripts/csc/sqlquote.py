"""The one way a name or a value that comes from outside the code is put into SQL text.

Values go in as bound parameters wherever DuckDB takes them (`execute(sql, [value])`). Where
it does not (a file path in `read_csv(...)`, `attach`, `copy ... to`, a setting, a column name
in a `columns={...}` struct, an identifier), the text goes through one of these:

* `literal(text)`: a single-quoted SQL string literal, quotes doubled;
* `identifier(name)`: a double-quoted identifier, quotes doubled;
* `text_literal(text)`: a string literal for prose the project wrote (a table comment from the
  dbt docs), where line breaks are part of the text; NUL is still refused;
* `safe_name(name)`: the name itself, only if it matches ^[a-z0-9_]+$ (else UnsafeName), for
  names that must also be valid unquoted (a header of a file the project wrote itself).

literal, identifier and safe_name refuse NUL and other control characters except tab, so
nothing can end a statement early or hide in a log line. scripts/tests/adversarial/test_input_sql.py feeds hostile header
names through every reader.
"""

from __future__ import annotations

import re

SAFE_NAME = re.compile(r"[a-z0-9_]+")
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


class UnsafeName(ValueError):
    """A name from a file that may not be put into SQL."""


def _checked(text: object, what: str) -> str:
    text = str(text)
    if _CONTROL.search(text):
        raise UnsafeName(f"{what} {text!r} holds a control character: refused")
    return text


def literal(text: object) -> str:
    """A SQL string literal (single quotes, inner ones doubled)."""
    return "'" + _checked(text, "value").replace("'", "''") + "'"


def text_literal(text: object) -> str:
    """A SQL string literal that may hold line breaks and tabs (quotes doubled; NUL refused)."""
    text = str(text)
    if "\x00" in text:
        raise UnsafeName("text holds a NUL character: refused")
    return "'" + text.replace("'", "''") + "'"


def identifier(name: object) -> str:
    """A quoted SQL identifier (double quotes, inner ones doubled)."""
    return '"' + _checked(name, "name").replace('"', '""') + '"'


def safe_name(name: object) -> str:
    """The name unchanged if it is lower-case letters, digits and underscores only."""
    text = str(name)
    if not SAFE_NAME.fullmatch(text):
        raise UnsafeName(f"{text!r} is not a plain column name (a-z, 0-9, _): refused")
    return text
