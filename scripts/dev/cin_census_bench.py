"""SYNTHETIC census returns of any size, and the import benchmark (time and peak memory).

    python scripts/dev/cin_census_bench.py --children 300000 --year 2025 [--keep DIR]

writes an England-sized SYNTHETIC return (no real child is in it) with write_cin_census_xml,
imports it into an empty landing folder in a separate process and reports the wall time and
that process's peak resident memory (ru_maxrss).

`synthetic_children(n, year, seed)` is also what the tests use: every record it makes lies
within the return's year as the exporter selects it, so write -> import -> export gives the
same children back.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from csc.cin_census.schema import code_lists, reference_date, schema_year, year_start


def _day(rng: random.Random, first: date, last: date) -> date:
    if last <= first:
        return first
    return first + timedelta(days=rng.randint(0, (last - first).days))


def synthetic_children(n: int, year: int, seed: int = 1, first_id: int = 1) -> Iterator[dict]:
    """n SYNTHETIC children (dict form, see xmlio) for the return of the given year."""
    rng = random.Random(seed)
    codes = code_lists(year)
    sy = schema_year(year)
    ref, ys = reference_date(year), year_start(year)
    factors = [c for c in codes["assessment_factor"] if c not in ("18A", "19A") or sy < 2021]
    needs = [c for c in codes["primary_need"] if c != "N0"]
    sources = list(codes["referral_source"])
    for i in range(first_id, first_id + n):
        dob = _day(rng, ref - timedelta(days=17 * 365), ref - timedelta(days=60))
        child = {
            "id": f"C{i:07d}",
            "dob": dob.isoformat(),
            "sex": rng.choice("MMMFFFU"),
            "ethnicity": rng.choice(codes["ethnicity"]),
            "disabilities": sorted(rng.sample(codes["disability"][1:], rng.choice((0, 0, 0, 1, 2)))),
            "episodes": [],
        }
        # one or two episodes, one after the other; only the last may stay open
        cursor = _day(rng, ys - timedelta(days=300), ref - timedelta(days=90))
        plans_so_far = 0
        n_eps = rng.choice((1, 1, 1, 2))
        for e in range(n_eps):
            referral = cursor
            last = e == n_eps - 1
            close = None
            if not last or rng.random() < 0.45:
                close = min(ref, max(ys, referral + timedelta(days=rng.randint(5, 200))))
            end = close or ref
            ep = {
                "referral_date": referral.isoformat(),
                "source": rng.choice(sources),
                "need": rng.choice(needs),
                "nfa": False,
                "assessments": [],
                "cin_plans": [],
                "s47s": [],
                "cp_plans": [],
            }
            if close:
                ep["close_date"] = close.isoformat()
                ep["close_reason"] = rng.choice(("RC1", "RC7", "RC7", "RC8"))
            if rng.random() < 0.12 and referral >= ys and close is not None:
                ep["nfa"] = True
            else:
                active = max(referral, ys)
                a_start = _day(rng, active, min(end, active + timedelta(days=10)))
                auth = a_start + timedelta(days=rng.randint(3, 70))
                ep["assessments"].append(
                    {
                        "start": a_start.isoformat(),
                        "auth": auth.isoformat() if auth <= end else None,
                        "factors": sorted(rng.sample(factors, rng.randint(1, 3))) if auth <= end else [],
                    }
                )
                if sy >= 2022 and rng.random() < 0.35 and auth < end:
                    p_end = auth + timedelta(days=rng.randint(20, 300))
                    ep["cin_plans"].append(
                        {
                            "start": (auth + timedelta(days=1)).isoformat(),
                            "end": p_end.isoformat() if p_end <= end else None,
                        }
                    )
                if rng.random() < 0.25:
                    s_start = _day(rng, active, end)
                    held = s_start + timedelta(days=rng.randint(4, 25))
                    s47 = {"start": s_start.isoformat(), "target": (s_start + timedelta(days=15)).isoformat()}
                    if held <= end and rng.random() < 0.5:
                        s47["icpc_date"] = held.isoformat()
                        s47["icpc_not_required"] = False
                        plan_end = held + timedelta(days=rng.randint(60, 500))
                        plan = {
                            "start": held.isoformat(),
                            "end": plan_end.isoformat() if plan_end <= end else None,
                            "initial": rng.choice(codes["cp_category"]),
                            "latest": rng.choice(codes["cp_category"]),
                            "previous": max(plans_so_far, rng.choice((0, 0, 0, 1, 2))),
                            "reviews": [],
                        }
                        review = held + timedelta(days=90)
                        while review <= min(end, plan_end):
                            plan["reviews"].append(review.isoformat())
                            review += timedelta(days=180)
                        ep["cp_plans"].append(plan)
                    else:
                        s47["icpc_not_required"] = held <= end
                    ep["s47s"].append(s47)
                elif rng.random() < 0.02:  # a transfer-in conference, no S47
                    held = _day(rng, active, end)
                    ep["icpc_date"] = held.isoformat()
                    ep["cp_plans"].append(
                        {
                            "start": held.isoformat(),
                            "end": None,
                            "initial": "NEG",
                            "latest": "NEG",
                            "previous": plans_so_far,
                            "reviews": [],
                        }
                    )
            child["episodes"].append(ep)
            plans_so_far += len(ep["cp_plans"])
            if close is None:
                break
            cursor = close + timedelta(days=rng.randint(1, 60))
            if cursor > ref - timedelta(days=5):
                break
        yield child


def _import_only(xml: str, landing: str) -> None:
    from csc.cin_census.importer import import_cin_census

    t = time.perf_counter()
    summary = import_cin_census(Path(xml), Path(landing), echo=lambda *_: None)
    print(
        f"import: {summary.children_imported:,} children, "
        f"{summary.modules_imported['CINdetails']:,} episodes in {time.perf_counter() - t:.1f} s "
        f"(reading the XML {summary.seconds_reading:.1f} s, merging and writing the landing files "
        f"{summary.seconds_merging:.1f} s); rows: " + ", ".join(f"{k} {v:,}" for k, v in summary.rows_written.items())
    )


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--children", type=int, default=300_000)
    ap.add_argument("--year", type=int, default=2025)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", type=Path, default=None, help="folder to keep the XML and landing in")
    ap.add_argument("--import-only", nargs=2, metavar=("XML", "LANDING"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.import_only:
        _import_only(*args.import_only)
        return
    from csc.cin_census.xmlio import write_cin_census_xml

    folder = args.keep or Path(tempfile.mkdtemp(prefix="cin_census_bench_"))
    folder.mkdir(parents=True, exist_ok=True)
    xml, landing = folder / f"synthetic_cin_{args.year}.xml", folder / "landing"
    shutil.rmtree(landing, ignore_errors=True)
    t = time.perf_counter()
    n = write_cin_census_xml(
        xml, synthetic_children(args.children, args.year, args.seed), year=args.year, la_code="999"
    )
    print(
        f"wrote {n:,} SYNTHETIC children ({xml.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t:.1f} s: {xml}"
    )
    t = time.perf_counter()
    subprocess.run([sys.executable, str(Path(__file__).resolve()), "--import-only", str(xml), str(landing)], check=True)
    wall = time.perf_counter() - t
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"import wall time {wall:.1f} s, peak memory of the import process {peak_kb / 1024:.0f} MB")
    if args.keep is None:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":  # pragma: no cover
    main()
