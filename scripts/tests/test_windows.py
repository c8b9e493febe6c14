"""What a Windows user runs: no POSIX-only behaviour, and what the publish swap does there.

Tested here on Linux by taking the Windows branches: the swap without renameat2 (two renames),
a reader holding a file in the published folder (Windows refuses to rename the folder:
PermissionError), and the stale-folder check, which must never call os.kill on Windows (there
os.kill(pid, 0) ends the process).
"""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

from csc import paths
from csc.publish import swap as pub

# The modules a Windows user's `csc demo` / `csc publish` / `csc report` runs (not the dev tools).
WINDOWS_PATH_MODULES = [
    "cli.py",
    "pipeline.py",
    "build.py",
    "dbt_output.py",
    "paths.py",
    "landing.py",
    "generate",
    "validate.py",
    "publish",
    "privacy.py",
    "dbt_plugin.py",
    "report",
    "powerbi",
    "cin_census/importer.py",
    "cin_census/exporter.py",
]
POSIX_ONLY = {"fcntl", "resource", "pwd", "grp", "termios", "pty"}


def _files() -> list[Path]:
    root = paths.REPO_ROOT / "scripts" / "csc"
    out = []
    for name in WINDOWS_PATH_MODULES:
        p = root / name
        if p.is_dir():
            out += sorted(p.rglob("*.py"))
        elif p.exists():
            out.append(p)
    return out


def test_no_posix_only_imports_or_shell_outs_outside_guards():
    problems = []
    for path in _files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        guarded = {
            n
            for t in ast.walk(tree)
            if isinstance(t, ast.Try)
            for h in t.handlers
            for n in ast.walk(t)
            if isinstance(n, (ast.Import, ast.ImportFrom))
            if h.type is not None and "ImportError" in ast.unparse(h.type)
        }
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and node not in guarded:
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                problems += [f"{path.name}: imports {n}" for n in names if n.split(".")[0] in POSIX_ONLY]
            if isinstance(node, ast.keyword) and node.arg == "shell" and getattr(node.value, "value", False):
                problems.append(f"{path.name}:{node.lineno}: shell=True")
            if isinstance(node, ast.Call) and ast.unparse(node.func) in ("os.system", "os.popen", "os.fork"):
                problems.append(f"{path.name}:{node.lineno}: {ast.unparse(node.func)}")
    assert not problems, problems


def _published(tmp_path: Path) -> tuple[Path, Path]:
    published, new = tmp_path / "published", tmp_path / "published.tmp-1"
    for folder, text in ((published, "old"), (new, "new")):
        (folder / "parquet").mkdir(parents=True)
        (folder / "parquet" / "kpi_values.parquet").write_text(text)
    return published, new


def test_swap_without_renameat2_replaces_the_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(pub, "_exchange", lambda a, b: False)  # as on Windows and macOS
    published, new = _published(tmp_path)
    pub.swap_into_place(new, published)
    assert (published / "parquet" / "kpi_values.parquet").read_text() == "new"
    assert not new.exists() and not list(tmp_path.glob("published.old-*"))


def test_a_reader_holding_a_file_on_windows_leaves_the_old_publication_in_place(tmp_path, monkeypatch):
    """Windows will not rename a folder while any file in it is open (Power BI Desktop during a
    refresh, a DuckDB reader of csc_marts.duckdb): the first rename fails, so the old
    publication stays whole and in place, and the publish reports the error; close the reader
    and publish again."""
    monkeypatch.setattr(pub, "_exchange", lambda a, b: False)
    published, new = _published(tmp_path)
    real_rename = os.rename

    def windows_rename(src, dst):
        if Path(src) == published:
            raise PermissionError(32, "The process cannot access the file because it is being used by another process")
        return real_rename(src, dst)

    monkeypatch.setattr(pub.os, "rename", windows_rename)
    with pytest.raises(PermissionError):
        pub.swap_into_place(new, published)
    assert (published / "parquet" / "kpi_values.parquet").read_text() == "old"
    assert not list(tmp_path.glob("published.old-*"))


def test_stale_folder_check_never_calls_os_kill_on_windows(monkeypatch):
    def forbidden(*args):
        raise AssertionError("os.kill on Windows would end the process")

    monkeypatch.setattr(pub.os, "kill", forbidden)
    monkeypatch.setattr(pub.os, "name", "nt")
    monkeypatch.setattr(pub, "_windows_pid_alive", lambda pid: pid == 42)
    assert pub._pid_alive(42) and not pub._pid_alive(43)


def test_readme_documents_the_windows_route():
    readme = (paths.REPO_ROOT / "README.md").read_text(encoding="utf-8")
    for text in ("py -3.11 -m venv .venv", ".venv\\Scripts\\pip install", "csc demo"):
        assert text in readme, text
