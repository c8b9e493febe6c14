"""The narrative: a sentence per measure, written only from its numbers and its polarity.

Rules (the report's "About these figures" section prints RULES):

* Numbers are compared as they are shown: counts to a whole number, everything else (percentages,
  rates per 10,000, monthly averages) to one decimal place. So the words never contradict the
  figures printed beside them.
* Direction: "rose from A to B" when B is more than A as shown, "fell from A to B" when less,
  "was/were unchanged at B" when they are equal as shown. No previous figure, no direction.
* "an improvement" / "a deterioration" follows a rise or fall only for measures with a polarity
  (higher_is_better, lower_is_better); neutral measures only rise or fall.
* Comparators (England, the region, statistical neighbours) are named only when their value
  exists. "in line with" when the figure is within 0.5 of the comparator in the measure's unit
  (0.5 percentage points for percentages, 0.5 per 10,000 for rates); otherwise "better than" /
  "worse than" for measures with a polarity and "higher than" / "lower than" for neutral ones.
  The benchmark year is given with the first comparator.
* A target is met when the figure as shown is at or beyond it in the good direction.
* A suppressed figure (``c``) gets no number, no direction and no comparison, so nothing can be
  worked back from the words.
"""

from __future__ import annotations

from dataclasses import dataclass

IN_LINE_WITHIN = 0.5
POLARITIES = ("higher_is_better", "lower_is_better")
SUPPRESSED = "c"

RULES = [
    "Figures are compared as shown: counts to a whole number, percentages, rates and monthly "
    "averages to one decimal place. Equal as shown is described as unchanged.",
    "A rise or fall is called an improvement or a deterioration only for measures where higher "
    "(or lower) is better; for neutral measures, such as contacts or children in need, it is only "
    "a rise or a fall.",
    f"A figure within {IN_LINE_WITHIN} of a benchmark (percentage points for percentages, per "
    "10,000 for rates) is described as in line with it; otherwise better or worse than it for "
    "measures with a polarity, higher or lower than it for neutral measures. A benchmark is "
    "mentioned only when it has been published.",
    "Benchmarks are DfE's published figures for the latest year published by the end of the "
    "quarter (its year is shown); statistical neighbours are the simple mean of the council's ten "
    "neighbours' published values.",
]


# --------------------------------------------------------------------------------------------
# Numbers as shown
# --------------------------------------------------------------------------------------------


def decimals(unit: str | None) -> int:
    return 0 if unit == "count" else 1


def shown(value: float, unit: str | None) -> float:
    """The value as printed (the same rounding as the text)."""
    return float(f"{value:.{decimals(unit)}f}")


def fmt_number(value: float | None, unit: str | None) -> str:
    """The number alone: 4,924 / 24.6 / 552.7."""
    if value is None:
        return ""
    return f"{value:,.{decimals(unit)}f}"


def fmt_value(value: float | None, unit: str | None, long: bool = False) -> str:
    """The number with its unit: 24.6% / 44.5 (long: 44.5 per 10,000) / 4,924."""
    if value is None:
        return ""
    text = fmt_number(value, unit)
    if unit == "percent":
        return text + "%"
    if long and unit == "per 10000":
        return text + " per 10,000"
    if long and unit == "count per month":
        return text + " a month"
    return text


def direction(previous: float, current: float, unit: str | None) -> str:
    """'up', 'down' or 'same', comparing the values as shown."""
    a, b = shown(previous, unit), shown(current, unit)
    return "up" if b > a else "down" if b < a else "same"


def verdict(value: float, comparator: float, unit: str | None, polarity: str | None) -> str:
    """How the figure (as shown) stands against a comparator: 'in line with', 'better than',
    'worse than' (measures with a polarity) or 'higher than', 'lower than' (neutral)."""
    diff = shown(value, unit) - shown(comparator, unit)
    if abs(diff) <= IN_LINE_WITHIN + 1e-9:
        return "in line with"
    if polarity not in POLARITIES:
        return "higher than" if diff > 0 else "lower than"
    return "better than" if (diff > 0) == (polarity == "higher_is_better") else "worse than"


def judgement(change: str, polarity: str | None) -> str | None:
    """'an improvement' / 'a deterioration' for a rise or fall of a measure with a polarity."""
    if change == "same" or polarity not in POLARITIES:
        return None
    good = (change == "up") == (polarity == "higher_is_better")
    return "an improvement" if good else "a deterioration"


# --------------------------------------------------------------------------------------------
# Grammar
# --------------------------------------------------------------------------------------------

_HEAD_ENDS = {
    "of",
    "on",
    "in",
    "within",
    "leading",
    "with",
    "per",
    "under",
    "completed",
    "progressed",
    "ending",
    "to",
    "after",
    "for",
    "excluding",
    "at",
    "by",
    "from",
}


def is_plural(name: str) -> bool:
    """Whether a measure's name is a plural noun phrase ('Contacts', 'Children in need')."""
    head = []
    for word in name.split():
        if word.lower() in _HEAD_ENDS:
            break
        head.append(word)
    last = (head or name.split() or [""])[-1].lower().strip(",.")
    return last in {"children", "people"} or (last.endswith("s") and not last.endswith("ss"))


def be(name: str) -> str:
    return "were" if is_plural(name) else "was"


def lower_first(name: str) -> str:
    """'Children on a plan' -> 'children on a plan'; 'ICPCs ...' and 'S47 ...' keep their case."""
    if len(name) > 1 and (name[1].isupper() or name[1].isdigit()):
        return name
    return name[:1].lower() + name[1:]


def join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# --------------------------------------------------------------------------------------------
# Sentences
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparator:
    name: str  # "England", "the South West", "statistical neighbours"
    value: float | None
    year_label: str | None = None  # "2014-15"


@dataclass(frozen=True)
class Measure:
    name: str  # kpi_name, e.g. "Re-referrals within 12 months"
    unit: str | None  # count, percent, per 10000, count per month
    polarity: str | None  # higher_is_better, lower_is_better, neutral
    value: float | None
    period: str  # "in 2016-17 Q2" / "at the end of September 2016"
    previous_value: float | None = None
    previous_period: str | None = None  # "in 2015-16 Q2"
    comparators: tuple[Comparator, ...] = ()
    target: float | None = None
    counts: str | None = None  # "50 of 206", shown after the current value
    suppressed: bool = False
    previous_suppressed: bool = False
    provisional: bool = False  # waiting on a later event: no improvement/deterioration read in


def trend_sentence(m: Measure) -> str:
    name = m.name
    if m.suppressed:
        return f"{name} {m.period}: the figure is suppressed ({SUPPRESSED}) because it rests on a count from 1 to 5."
    if m.value is None:
        return f"{name}: no figure {m.period}."
    current = fmt_value(m.value, m.unit, long=True) + (f" ({m.counts})" if m.counts else "")
    if m.previous_value is not None and not m.previous_suppressed and m.previous_period:
        change = direction(m.previous_value, m.value, m.unit)
        if change == "same":
            return f"{name} {be(name)} unchanged at {current} {m.period}, the same as {m.previous_period}."
        verb = "rose" if change == "up" else "fell"
        text = (
            f"{name} {verb} from {fmt_value(m.previous_value, m.unit, long=True)} "
            f"{m.previous_period} to {current} {m.period}"
        )
        if m.provisional:
            return text + " (provisional: some cases are still waiting for a later step, so the figure can still rise)."
        word = judgement(change, m.polarity)
        return text + (f", {word}." if word else ".")
    if m.previous_suppressed and m.previous_period:
        return f"{name} stood at {current} {m.period} (the figure {m.previous_period} is suppressed)."
    if m.previous_period:
        return f"{name} stood at {current} {m.period} (no figure {m.previous_period} to compare with)."
    return f"{name} stood at {current} {m.period}."


def comparison_sentence(m: Measure) -> str | None:
    """'This is better than England (24.2%, 2014-15) and the South West (24.6%), and in line with
    statistical neighbours (23.6%).' None when there is nothing to compare."""
    if m.suppressed or m.value is None:
        return None
    present = [c for c in m.comparators if c.value is not None]
    if not present:
        return None
    order = ["better than", "worse than", "higher than", "lower than", "in line with"]
    groups: dict[str, list[str]] = {}
    last_year = None
    for c in present:
        year = c.year_label if c.year_label and c.year_label != last_year else None
        last_year = c.year_label or last_year
        figure = fmt_value(c.value, m.unit) + (f", {year}" if year else "")
        groups.setdefault(verdict(m.value, c.value, m.unit, m.polarity), []).append(f"{c.name} ({figure})")
    clauses = [f"{v} {join(groups[v])}" for v in order if v in groups]
    body = clauses[0] if len(clauses) == 1 else ", ".join(clauses[:-1]) + ", and " + clauses[-1]
    return f"This is {body}."


def target_sentence(m: Measure) -> str | None:
    if m.target is None or m.suppressed or m.value is None:
        return None
    target = fmt_value(m.target, m.unit, long=True)
    if m.polarity == "lower_is_better":
        meets = shown(m.value, m.unit) <= m.target
        goal = f"{target} or lower"
    elif m.polarity == "higher_is_better":
        meets = shown(m.value, m.unit) >= m.target
        goal = f"{target} or higher"
    else:
        return f"The target is {target}."
    return f"It {'meets' if meets else 'does not meet'} the target of {goal}."


def measure_sentence(m: Measure) -> str:
    """The paragraph for one measure: its trend, its comparison with benchmarks, its target."""
    parts = [trend_sentence(m), comparison_sentence(m), target_sentence(m)]
    return " ".join(p for p in parts if p)


def change_since_sentence(
    name: str,
    unit: str | None,
    start_value: float | None,
    start_label: str,
    end_value: float | None,
    end_label: str,
    suppressed: bool = False,
) -> str | None:
    """Stock measures since the year end: 'The number of children on a child protection plan fell
    by 232 (32.5%) from 714 at 31 March 2016 to 482 at 30 September 2016.'"""
    if suppressed:
        return f"The change since {start_label} is suppressed ({SUPPRESSED})."
    if start_value is None or end_value is None:
        return None
    subject = f"The number of {lower_first(name)}" if unit == "count" else name
    verb_be = "was" if unit == "count" else be(name)
    change = direction(start_value, end_value, unit)
    if change == "same":
        return f"{subject} {verb_be} unchanged at {fmt_value(end_value, unit, long=True)} since {start_label}."
    diff = abs(shown(end_value, unit) - shown(start_value, unit))
    pct = f" ({diff / shown(start_value, unit) * 100:.1f}%)" if unit == "count" and shown(start_value, unit) > 0 else ""
    verb = "rose" if change == "up" else "fell"
    return (
        f"{subject} {verb} by {fmt_value(diff, unit, long=True)}{pct} from "
        f"{fmt_value(start_value, unit, long=True)} at {start_label} to "
        f"{fmt_value(end_value, unit, long=True)} at {end_label}."
    )
