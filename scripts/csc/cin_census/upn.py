"""Unique Pupil Numbers (UPN): DfE's check letter, and synthetic UPNs for the generator.

A UPN is 13 characters: a check letter, the 3-digit LA number, a 4-digit establishment
number, 2 digits for the year allocated and a 3-character serial (digits; a letter at
character 13 marks a temporary UPN). The check letter (DfE, "A guide to the UPN", rule 1510
of the CIN census): characters 2 to 13 weighted 2 to 13, summed, the remainder after
dividing by 23 read in CHECK_LETTERS. This module owns that rule; the synthetic UPNs are
made with it and tested against DfE's validator by the referee.
"""

from __future__ import annotations

import re

CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # remainder 0..22 (no I, O, S)
UPN_SHAPE = re.compile(r"^[A-Z]\d{11}[0-9A-Z]$")
# A letter at character 13 (temporary UPN) counts as its position in the check-letter list.
_VALUE = {**{str(d): d for d in range(10)}, **{c: i for i, c in enumerate(CHECK_LETTERS)}}


def check_letter(body: str) -> str:
    """The check letter of the 12 characters after it."""
    if len(body) != 12 or not body[:11].isdigit() or body[11] not in _VALUE:
        raise ValueError(f"not the 12 characters of a UPN after its check letter: {body!r}")
    return CHECK_LETTERS[sum(_VALUE[c] * w for c, w in zip(body, range(2, 14))) % 23]


def is_valid_upn(upn: str | None) -> bool:
    return bool(upn) and bool(UPN_SHAPE.match(upn)) and check_letter(upn[1:]) == upn[0]


def synthetic_upn(la_code: str, serial: int, year_allocated: int) -> str:
    """A well-formed UPN for a SYNTHETIC child: the council's LA number, establishment
    serial // 1000 and serial % 1000, so distinct serials give distinct UPNs (up to 10 million
    children a council)."""
    la = f"{int(la_code):03d}"
    establishment = serial // 1000
    if not 0 <= establishment < 10_000:
        raise ValueError(f"synthetic UPN serial out of range: {serial}")
    body = f"{la}{establishment:04d}{year_allocated % 100:02d}{serial % 1000:03d}"
    return check_letter(body) + body
