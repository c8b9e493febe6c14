"""The ``depends_on`` lists of models/marts/_exposures.yml, written from their owners.

An exposure has no SQL to ``ref()`` from, so dbt's syntax names its models one by one. The
lists are therefore generated, never edited by hand, each from the one place that decides it:

    power_bi_dataset              every model dbt builds in schema ``marts`` (what ``csc publish``
                                  copies): ``dbt ls --select config.schema:marts``
    quarterly_performance_report  the marts ``csc report`` reads: ``csc.report.MARTS_READ``

    python scripts/dev/exposures.py          # check: exit 1 naming each list that differs
    python scripts/dev/exposures.py --write  # rewrite the lists in place

scripts/tests/test_exposures.py runs the check.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile

from csc import paths
from csc.report import MARTS_READ

EXPOSURES_FILE = paths.REPO_ROOT / "models" / "marts" / "_exposures.yml"
PUBLISHED_SCHEMA = "marts"


def published_marts() -> list[str]:
    """The models dbt builds in schema marts, from dbt's own parse (in-memory lint target)."""
    from dbt.cli.main import dbtRunner

    with tempfile.TemporaryDirectory() as tmp:
        result = dbtRunner().invoke(
            [
                "--log-level", "none",
                "ls",
                "--project-dir", str(paths.REPO_ROOT),
                "--profiles-dir", str(paths.REPO_ROOT),
                "--target", "lint",
                "--target-path", tmp,
                "--resource-type", "model",
                "--select", f"config.schema:{PUBLISHED_SCHEMA}",
                "--output", "name",
            ]
        )  # fmt: skip
    if not result.success:
        raise SystemExit(f"exposures: dbt ls failed: {result.exception}")
    return sorted(result.result)


def wanted() -> dict[str, list[str]]:
    return {
        "quarterly_performance_report": sorted(MARTS_READ),
        "power_bi_dataset": published_marts(),
    }


def rewrite(text: str, lists: dict[str, list[str]]) -> str:
    """The file's text with each exposure's depends_on block replaced (comments kept)."""
    for name, models in lists.items():
        block = re.compile(rf"(- name: {name}\n(?:(?!  - name: ).*\n)*?    depends_on:\n)(?:      - ref\('\w+'\)\n)+")
        refs = "".join(f"      - ref('{m}')\n" for m in models)
        text, count = block.subn(lambda m, refs=refs: m.group(1) + refs, text)
        if count != 1:
            raise SystemExit(f"exposures: no depends_on block for {name} in {EXPOSURES_FILE}")
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite the lists in place")
    args = parser.parse_args(argv)
    text = EXPOSURES_FILE.read_text(encoding="utf-8")
    lists = wanted()
    new = rewrite(text, lists)
    if new == text:
        print(f"exposures: {EXPOSURES_FILE.name} is up to date")
        return 0
    if args.write:
        EXPOSURES_FILE.write_text(new, encoding="utf-8")
        print(f"exposures: rewrote {EXPOSURES_FILE.name}")
        return 0
    stale = [n for n in lists if rewrite(text, {n: lists[n]}) != text]
    print(
        f"exposures: {EXPOSURES_FILE.name} is stale ({', '.join(stale)}): run python scripts/dev/exposures.py --write"
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
