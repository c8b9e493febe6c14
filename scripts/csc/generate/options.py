"""The options of `csc generate`, checked, with errors a person can act on."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .sizes import ENGLAND_LA_CODES

SCALES = ("la", "england")


@dataclass(frozen=True)
class Options:
    la_codes: tuple[str, ...]
    scale: str
    start: date
    end: date
    seed: int
    size: float
    faults: bool


def parse_options(
    la_codes: Iterable[str], scale: str, start: str, end: str, seed: int, size: float, faults: bool
) -> Options:
    """The options checked; ValueError with a message a person can act on."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}: use one of {', '.join(SCALES)}")
    codes = tuple(dict.fromkeys(str(c).strip() for c in la_codes))
    for code in codes:
        if not re.fullmatch(r"\d{3}", code):
            raise ValueError(f"LA code {code!r} is not a 3-digit DfE code (e.g. 878)")
    if scale == "la" and not codes:
        raise ValueError("no LA code given")
    first, last = _parse_date("start", start), _parse_date("end", end)
    if first > last:
        raise ValueError(f"start {first} is after end {last}")
    if not (isinstance(size, (int, float)) and math.isfinite(size) and size > 0):
        raise ValueError(f"size must be a number above 0, not {size!r}")
    return Options(
        la_codes=ENGLAND_LA_CODES if scale == "england" else codes,
        scale=scale,
        start=first,
        end=last,
        seed=int(seed),
        size=float(size),
        faults=bool(faults),
    )


def _parse_date(name: str, text: str) -> date:
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        raise ValueError(f"{name} {text!r} is not a YYYY-MM-DD date") from None
