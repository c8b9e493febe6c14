"""Compare `csc check-cin-census` with DfE's CIN validator, rule by rule, on CIN XML returns.

    python scripts/dev/referee/compare.py FILE.xml [FILE.xml ...] [--referee-python PY]
        [--json OUT.json] [--require-agreement]

For each return: the collection year is read from its header and chooses the validator's
ruleset (Year 2023 -> cin2022_23; the validator has no ruleset before 2022-23, so older
returns are listed as skipped). The validator runs in its own environment
(`make referee` makes `.venv-referee`; run_dfe_validator.py), the warehouse's own rules run
through check_cin_census (a throw-away build from the return). Each side gives the set of
(LAchildID, rule) pairs it flags; a rule flagged without a child (DfE's whole-return rules:
the header's 100, the counts over the return of 2883, 2886Q, 2887Q, 2888Q) is the pair
("*", rule): the return as a whole, flagged or not, so for these rules agreement is both
sides flagging the return or neither. Only the validator's rule codes are compared (the
warehouse's own rules have no DfE counterpart). Per rule: the validator's count, ours, both,
and agreement = both / either (100% when neither flags it). A rule the validator crashes on
for a return ("Error with rule 8565: ...", it then reports nothing for it) is listed as
crashed on that return and is never counted as agreement or disagreement there.

A rule is "implemented" when the warehouse can raise it (seed dfe_cin_rule_models). Rules listed in exceptions.csv (beside this file: the rule, the DfE text we follow
and the case) are compared but reported apart. A step of a rule DfE's validator cannot raise
whatever the return holds (cannot_fire.csv beside this file: the rule, the table our failure
is placed at, or "*" for the whole rule, and the validator's code that cannot fire, quoted) is
not compared: our pairs found only there are counted apart ("cannot fire"), never as agreement
or disagreement. --require-agreement exits 1 when an implemented rule outside the exceptions
disagrees on any return.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
RULE_MODELS_SEED = ROOT / "seeds" / "dfe" / "dfe_cin_rule_models.csv"
EXCEPTIONS = HERE / "exceptions.csv"
CANNOT_FIRE = HERE / "cannot_fire.csv"
DEFAULT_REFEREE_PYTHON = ROOT / ".venv-referee" / "bin" / "python"
WHOLE_RETURN = "*"  # the "child" of a failure reported on the return as a whole


def ruleset_for(year: int) -> str | None:
    """Collection Year 2023 (the year to 31 March 2023) -> cin2022_23; None before it."""
    if year < 2023:
        return None
    year = min(year, 2027)
    return f"cin{year - 1}_{year % 100:02d}"


def collection_year(xml: Path) -> int:
    head = xml.read_bytes()[:8192].decode("utf-8", "replace")
    m = re.search(r"<Year>\s*(\d{4})\s*</Year>", head)
    if not m:
        raise ValueError(f"{xml}: no <Year> in the header")
    return int(m.group(1))


def implemented_rules() -> set[str]:
    with RULE_MODELS_SEED.open(encoding="utf-8", newline="") as f:
        return {r["rule_code"] for r in csv.DictReader(f)}


def exceptions() -> dict[tuple[str, str], str]:
    """(ruleset or '*', rule) -> the reason we follow DfE's text instead of the validator."""
    if not EXCEPTIONS.exists():
        return {}
    with EXCEPTIONS.open(encoding="utf-8", newline="") as f:
        return {(r["ruleset"], r["rule_code"]): r["reason"] for r in csv.DictReader(f)}


def cannot_fire() -> list[dict[str, str]]:
    """The rows of cannot_fire.csv: ruleset ('*' = every year), rule_code, table_name (where our
    failure is placed; '*' = the whole rule), dfe_text, validator_file, validator_code (quoted
    from it, so a test can find it there) and reason."""
    if not CANNOT_FIRE.exists():
        return []
    with CANNOT_FIRE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def cannot_fire_steps(ruleset: str) -> set[tuple[str, str]]:
    """(rule, table) of the ruleset's steps DfE's validator cannot raise (table '*': any)."""
    return {(r["rule_code"], r["table_name"]) for r in cannot_fire() if r["ruleset"] in ("*", ruleset)}


def split_cannot_fire(
    located: set[tuple[str, str, str]], steps: set[tuple[str, str]]
) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """Our (child, rule, table) failures -> the (child, rule) pairs compared with the validator,
    and those found only on steps it cannot fire (set apart)."""

    def apart(rule: str, table: str) -> bool:
        return (rule, table) in steps or (rule, "*") in steps

    compared = {(c, r) for c, r, t in located if not apart(r, t)}
    return compared, {(c, r) for c, r, t in located if apart(r, t)} - compared


def referee_pairs(xml: Path, ruleset: str, python: Path) -> dict:
    proc = subprocess.run(
        [str(python), str(HERE / "run_dfe_validator.py"), str(xml), "--ruleset", ruleset],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"the DfE validator failed on {xml}: {proc.stderr.strip()[-2000:]}")
    return json.loads(proc.stdout)


def our_located_pairs(xml: Path) -> set[tuple[str, str, str]]:
    """(LAchildID or "*", rule, table the failure is placed at) of `csc check-cin-census`."""
    from csc.cin_census.checker import check_cin_census, quiet

    result = check_cin_census(xml, echo=quiet)
    if not result.built:
        raise RuntimeError(f"check-cin-census could not build {xml}: {result.notes}")
    return {(str(i["la_child_id"] or WHOLE_RETURN), i["rule_code"], str(i["table_name"])) for i in result.issues}


def our_pairs(xml: Path) -> set[tuple[str, str]]:
    return {(c, r) for c, r, _ in our_located_pairs(xml)}


@dataclass
class RuleRow:
    rule: str
    kind: str
    referee: int = 0
    ours: int = 0
    both: int = 0
    implemented: bool = False
    exception: str = ""
    crashed: str = ""  # the validator raised on this rule for this return: not compared
    apart: int = 0  # our pairs found only on a step the validator cannot fire: not compared

    @property
    def agreement(self) -> float:
        either = self.referee + self.ours - self.both
        return 100.0 if either == 0 else 100.0 * self.both / either


@dataclass
class FileResult:
    xml: str
    ruleset: str | None
    rows: list[RuleRow] = field(default_factory=list)
    return_level: list[str] = field(default_factory=list)
    note: str = ""


def compare(xml: Path, python: Path) -> FileResult:
    year = collection_year(xml)
    ruleset = ruleset_for(year)
    if ruleset is None:
        return FileResult(str(xml), None, note=f"Year {year}: the DfE validator has no ruleset before 2022-23")
    ref = referee_pairs(xml, ruleset, python)
    theirs = {tuple(p) for p in ref["pairs"]} | {(WHOLE_RETURN, rule) for rule in ref["return_level"]}
    ours, apart = split_cannot_fire(
        {p for p in our_located_pairs(xml) if p[1] in ref["rules"]}, cannot_fire_steps(ruleset)
    )
    impl, exc = implemented_rules(), exceptions()
    result = FileResult(str(xml), ruleset, return_level=ref["return_level"])
    for rule, meta in sorted(ref["rules"].items(), key=lambda kv: _rule_sort(kv[0])):
        t = {p for p in theirs if p[1] == rule}
        o = {p for p in ours if p[1] == rule}
        result.rows.append(
            RuleRow(
                rule,
                meta["type"],
                len(t),
                len(o),
                len(t & o),
                implemented=rule in impl,
                exception=exc.get((ruleset, rule)) or exc.get(("*", rule), ""),
                crashed=ref.get("crashed", {}).get(rule, ""),
                apart=sum(1 for p in apart if p[1] == rule),
            )
        )
    return result


def _rule_sort(code: str) -> tuple[int, str]:
    m = re.match(r"\d+", code)
    return (int(m.group()) if m else 0, code)


def table(result: FileResult, all_rules: bool = False) -> list[str]:
    out = [
        f"{result.xml} ({result.ruleset})",
        f"{'rule':<7} {'type':<6} {'impl':<4} {'DfE':>7} {'ours':>7} {'both':>7} {'agree':>7}",
    ]
    for r in result.rows:
        if not all_rules and not (r.implemented or r.referee or r.ours or r.apart):
            continue
        flag = (
            (" exception" if r.exception else "")
            + (" referee crashed" if r.crashed else "")
            + (f" +{r.apart} apart (validator cannot fire)" if r.apart else "")
        )
        out.append(
            f"{r.rule:<7} {r.kind:<6} {'yes' if r.implemented else 'no':<4} {r.referee:>7,} "
            f"{r.ours:>7,} {r.both:>7,} {r.agreement:>6.1f}%{flag}"
        )
    impl = [r for r in result.rows if r.implemented and not r.exception and not r.crashed]
    agree = sum(1 for r in impl if r.agreement == 100.0)
    crashed = [r.rule for r in result.rows if r.crashed]
    excepted = [r.rule for r in result.rows if r.implemented and r.exception]
    out.append(
        f"implemented rules agreeing 100%: {agree} of {len(impl)}"
        + (f" (documented exceptions apart: {', '.join(excepted)})" if excepted else "")
        + "; "
        f"validator errors {sum(r.referee for r in result.rows if r.kind == 'error'):,}, "
        f"queries {sum(r.referee for r in result.rows if r.kind == 'query'):,} (child, rule) pairs"
    )
    if result.return_level:
        out.append("validator return-level rules (no child): " + ", ".join(result.return_level))
    if crashed:
        out.append("the validator crashed on (not compared on this return): " + ", ".join(crashed))
    apart = [f"{r.rule} {r.apart}" for r in result.rows if r.apart]
    if apart:
        out.append("ours on steps the validator cannot fire (cannot_fire.csv; not compared): " + ", ".join(apart))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("xml", nargs="+", type=Path)
    ap.add_argument("--referee-python", type=Path, default=DEFAULT_REFEREE_PYTHON)
    ap.add_argument("--json", type=Path, help="write the comparison as JSON too")
    ap.add_argument("--all-rules", action="store_true", help="list rules neither side flags too")
    ap.add_argument(
        "--require-agreement",
        action="store_true",
        help="exit 1 unless every implemented rule (exceptions aside) agrees 100%%",
    )
    args = ap.parse_args(argv)
    if not args.referee_python.exists():
        print(f"{args.referee_python}: no referee environment (run `make referee-install`)", file=sys.stderr)
        return 2
    results, failed = [], []
    for xml in args.xml:
        res = compare(xml, args.referee_python)
        results.append(res)
        if res.ruleset is None:
            print(f"{xml}: skipped ({res.note})")
            continue
        print("\n".join(table(res, args.all_rules)))
        print()
        failed += [
            f"{xml.name}:{r.rule}"
            for r in res.rows
            if r.implemented and not r.exception and not r.crashed and r.agreement < 100.0
        ]
    if args.json:
        args.json.write_text(
            json.dumps(
                [
                    {
                        "xml": r.xml,
                        "ruleset": r.ruleset,
                        "note": r.note,
                        "return_level": r.return_level,
                        "rules": [dict(vars(x), agreement=x.agreement) for x in r.rows],
                    }
                    for r in results
                ],
                indent=1,
            )
        )
    if failed:
        print("implemented rules that disagree: " + ", ".join(failed))
        return 1 if args.require_agreement else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
