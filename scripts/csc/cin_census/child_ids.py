"""The person id the importer gives each child of a return, and the LAchildID it stands for.

    person_id(la_child_id, year, line, seen) -> str     (the importer)
    la_child_id_of(person_id) -> str | None             (the checker: the child's name)

A child is kept even when DfE rules 8500 (no LAchildID) or 8510 (an LAchildID repeated within
the return) report it, so every child needs a person id of its own that never collides
with another child's. A return's LAchildID is its person id, except:

    no LAchildID              ~M<year><line>~             (the LAchildID is none)
    a repeated LAchildID      ~R<year><line>~<LAchildID>  (the second and later children)
    an LAchildID opening "~"  ~E00000000000000~<LAchildID>

<year> is the return's collection year (4 digits), <line> the line of its <Child> (10 digits):
the same file imported again gives the same ids, and two returns' children stay apart. Every
synthetic id opens with "~", and a real LAchildID opening with "~" is written escaped, so no
synthetic id can equal a real one. The ids are person ids like any other: staging turns
them into child_key, and the LAchildID as given (stg_ssd__person.la_child_id, macro
cin_census_la_child_id: the SQL twin of la_child_id_of, held to it by
scripts/tests/test_cin_census_child_ids.py) is what the census models and the rules read.
"""

from __future__ import annotations

MARK = "~"
MISSING, REPEATED, ESCAPED = "M", "R", "E"
PREFIX_LENGTH = 17  # "~", the kind, 4 + 10 digits, "~"


def _synthetic(kind: str, year: int, line: int, la_child_id: str = "") -> str:
    return f"{MARK}{kind}{year:04d}{line:010d}{MARK}{la_child_id}"


def person_id(la_child_id: str | None, year: int, line: int, seen: set[str]) -> str:
    """The person id of the return's child at `line` (seen: the LAchildIDs of the children
    before it in the return; the caller adds this one)."""
    if not la_child_id:
        return _synthetic(MISSING, year, line)
    if la_child_id in seen:
        return _synthetic(REPEATED, year, line, la_child_id)
    if la_child_id.startswith(MARK):
        return _synthetic(ESCAPED, 0, 0, la_child_id)
    return la_child_id


def is_synthetic(pid: str) -> bool:
    return (
        len(pid) >= PREFIX_LENGTH
        and pid.startswith(MARK)
        and pid[1] in (MISSING, REPEATED, ESCAPED)
        and pid[2 : PREFIX_LENGTH - 1].isdigit()
        and pid[PREFIX_LENGTH - 1] == MARK
    )


def la_child_id_of(pid: str | None) -> str | None:
    """The LAchildID a person id stands for (None: the child had none)."""
    if pid is None or not is_synthetic(pid):
        return pid
    if pid[1] == MISSING:
        return None
    return pid[PREFIX_LENGTH:]
