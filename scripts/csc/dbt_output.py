"""dbt's console output for people: quiet by default.

dbt prints a line per node (about 650 lines for `dbt build` here) with colour codes. Instead:

- one progress line on stderr (rewritten in place on a terminal, a line every 10% otherwise):
  `dbt build  231/392  59%  0 failed  1 warning  model fct_referrals`;
- a summary at the end: counts by status and kind, then every failure and warning in full
  (the node, its message, and for a failing test the compiled SQL file to run);
- dbt's log (no colour codes) in `<log path>/dbt.log`, whose path is printed: at info level
  (every node's start, end, status and time), as the SQL of every model and test dbt ran is in
  `<target>/run/` and `<target>/compiled/` already. The debug level (every statement dbt sends,
  transactions and renames included) costs about a tenth of a council's build in dbt's own
  Python: `CSC_DBT_LOG_LEVEL=debug` when you need it.

`CSC_DBT_VERBOSE=1` (or `csc build --verbose`) gives dbt's own console output instead.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

VERBOSE_ENV = "CSC_DBT_VERBOSE"
LOG_LEVEL_ENV = "CSC_DBT_LOG_LEVEL"
LOG_LEVELS = ("debug", "info", "warn", "error", "none")
FAILED = ("error", "fail", "runtime error")


def verbose() -> bool:
    return os.environ.get(VERBOSE_ENV, "").strip().lower() in ("1", "true", "yes")


def _arg(args: list[str], flag: str) -> str | None:
    for i, a in enumerate(args):
        if a == flag and i + 1 < len(args):
            return args[i + 1]
        if a.startswith(flag + "="):
            return a.split("=", 1)[1]
    return None


def log_level() -> str:
    """dbt's log file level: $CSC_DBT_LOG_LEVEL (debug, info, warn, error, none), info by default."""
    level = os.environ.get(LOG_LEVEL_ENV, "").strip().lower() or "info"
    if level not in LOG_LEVELS:
        raise ValueError(f"{LOG_LEVEL_ENV}={level!r}: use one of {', '.join(LOG_LEVELS)}")
    return level


def quiet_args(args: list[str], log_path: Path) -> list[str]:
    """dbt arguments with the console silenced and an uncoloured log file at log_level() (the
    caller's own --log-path, if given, wins)."""
    extra = ["--log-level", "none", "--log-level-file", log_level(), "--no-use-colors", "--no-use-colors-file"]
    if _arg(args, "--log-path") is None:
        extra += ["--log-path", str(log_path)]
    return [*args, *extra]


@dataclass
class Progress:
    """Follows dbt's events: nodes started and finished, by status."""

    command: str
    stream: TextIO = field(default_factory=lambda: sys.stderr)
    total: int = 0
    done: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    current: str = ""
    _last_decile: int = -1
    _started: float = field(default_factory=time.perf_counter)

    @property
    def tty(self) -> bool:
        return bool(getattr(self.stream, "isatty", lambda: False)())

    def __call__(self, msg: Any) -> None:
        name = msg.info.name
        data = msg.data
        if name == "LogStartLine":
            self.total = max(self.total, int(getattr(data, "total", 0) or 0))
            node = getattr(data, "node_info", None)
            self.current = getattr(node, "node_name", "") or self.current
        elif name == "NodeFinished":
            node = data.node_info
            status = (getattr(node, "node_status", "") or "").lower()
            self.done += 1
            self.statuses[status] = self.statuses.get(status, 0) + 1
            self.current = f"{getattr(node, 'resource_type', '')} {getattr(node, 'node_name', '')}".strip()
            self.show()

    def line(self) -> str:
        failed = sum(n for s, n in self.statuses.items() if s in FAILED)
        warned = self.statuses.get("warn", 0)
        total = max(self.total, self.done)
        pct = f"{100 * self.done // total:3d}%" if total else "    "
        return (
            f"{self.command}  {self.done}/{total or '?'}  {pct}  {failed} failed  "
            f"{warned} warning{'' if warned == 1 else 's'}  {self.current}"
        )[:110]

    def show(self) -> None:
        if self.tty:
            self.stream.write("\r\033[K" + self.line())
            self.stream.flush()
            return
        decile = 10 * self.done // max(self.total, 1)
        if decile != self._last_decile:
            self._last_decile = decile
            self.stream.write(self.line() + "\n")
            self.stream.flush()

    def finish(self) -> None:
        if self.tty:
            self.stream.write("\r\033[K" + self.line() + "\n")
            self.stream.flush()


def summary(result: Any, command: str, seconds: float, log_file: Path) -> list[str]:
    """Counts by kind and status, then each failure and warning in full."""
    lines: list[str] = []
    results = list(getattr(getattr(result, "result", None), "results", None) or [])
    counts: dict[str, dict[str, int]] = {}
    problems = []
    for r in results:
        node = getattr(r, "node", None)
        kind = getattr(node, "resource_type", "node")
        kind = getattr(kind, "value", kind)
        status = str(getattr(getattr(r, "status", ""), "value", getattr(r, "status", ""))).lower()
        counts.setdefault(str(kind), {}).setdefault(status, 0)
        counts[str(kind)][status] += 1
        if status in FAILED or status == "warn":
            problems.append((status, node, r))
    ok = bool(getattr(result, "success", False))
    lines.append(
        f"dbt {command}: {'succeeded' if ok else 'FAILED'} in {seconds:.1f} s"
        + (
            ": "
            + "; ".join(
                f"{k}s " + ", ".join(f"{n} {s}" for s, n in sorted(v.items())) for k, v in sorted(counts.items())
            )
            if counts
            else ""
        )
    )
    for status, node, r in problems:
        name = getattr(node, "unique_id", "?")
        lines.append(f"  {status.upper()}: {name}")
        message = (getattr(r, "message", None) or "").strip()
        for part in message.splitlines():
            lines.append(f"      {part}")
        failures = getattr(r, "failures", None)
        if failures:
            lines.append(f"      failing rows: {failures}")
        compiled = getattr(node, "compiled_path", None)
        if (
            compiled
            and getattr(node, "resource_type", None)
            and "test" in str(getattr(node.resource_type, "value", node.resource_type))
        ):
            lines.append(f"      SQL: target/{compiled}" if not os.path.isabs(compiled) else f"      SQL: {compiled}")
    exc = getattr(result, "exception", None)
    if exc is not None:
        lines.append(f"  ERROR: {' '.join(str(exc).split())[:2000]}")
    lines.append(f"Full dbt log: {log_file}")
    return lines


def invoke(
    args: list[str], log_path: Path, runner_factory: Callable[..., Any] | None = None, stream: TextIO | None = None
) -> Any:
    """Run dbt in-process with `args`: quietly (progress and summary on `stream`) unless
    CSC_DBT_VERBOSE is set. Returns dbt's result object."""
    if runner_factory is None:
        from dbt.cli.main import dbtRunner as runner_factory
    stream = stream or sys.stderr
    if verbose():
        return runner_factory().invoke(args)
    command = " ".join(a for a in args[:2] if not a.startswith("-"))
    progress = Progress(f"dbt {command}", stream)
    started = time.perf_counter()
    result = runner_factory(callbacks=[progress]).invoke(quiet_args(args, log_path))
    progress.finish()
    log_dir = Path(_arg(args, "--log-path") or log_path)
    for line in summary(result, command, time.perf_counter() - started, log_dir / "dbt.log"):
        stream.write(line + "\n")
    stream.flush()
    return result
