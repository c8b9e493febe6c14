"""The SYNTHETIC_DEMO_DATA.txt marker: which landing folders `csc generate` wrote, and their files.

The documented demo pseudonymisation key may only ever pseudonymise synthetic data. So the
generator records, in the marker, every council folder it wrote and the sha256 of every file in
it; `check(landing)` says the landing is synthetic demo data only when

  * the landing folder exists and holds the marker,
  * every folder in it is one the marker records (a real council's folder beside the demo's
    is not), and
  * each recorded folder holds exactly the recorded files, none a symlink, each with its
    recorded sha256 (an edited, added, removed or replaced file is not the generator's).

Anything else gives a reason, and the caller (csc.dbt_plugin.pseudonym_key) asks for a real key.
Hashing an England-sized extract takes a few seconds, so the answer is kept per process for as
long as no file's size, modification time or inode changes.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .paths import DEMO_MARKER

FILES_HEADING = "Generated files (sha256), checked before the demo pseudonymisation key is used:"
_FILE_LINE = re.compile(r"^  ([0-9a-f]{64})  (\S+)  (.+)$")  # sha256, folder, file


@dataclass(frozen=True)
class DemoCheck:
    synthetic: bool
    reason: str  # why not (empty when synthetic)

    def __bool__(self) -> bool:
        return self.synthetic


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write(landing: Path, text: str, folders: list[Path]) -> Path:
    """Write the marker: `text` (what the generator says about the data), then every file of
    each generated council folder with its sha256."""
    landing = Path(landing)
    lines = [text.rstrip("\n"), "", FILES_HEADING]
    for folder in sorted(Path(f) for f in folders):
        for f in sorted(folder.iterdir()):
            if f.is_file() and not f.is_symlink():
                lines.append(f"  {file_sha256(f)}  {folder.name}  {f.name}")
    marker = landing / DEMO_MARKER
    tmp = marker.with_name(marker.name + ".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(tmp, marker)
    _cache.clear()
    return marker


def recorded(marker: Path) -> dict[str, dict[str, str]] | None:
    """{folder: {file: sha256}} from a marker; None when it has no files section."""
    try:
        text = marker.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if FILES_HEADING not in text:
        return None
    out: dict[str, dict[str, str]] = {}
    for line in text.split(FILES_HEADING, 1)[1].splitlines():
        m = _FILE_LINE.match(line)
        if m:
            out.setdefault(m.group(2), {})[m.group(3)] = m.group(1)
    return out


_cache: dict[tuple, DemoCheck] = {}


def _signature(landing: Path) -> tuple | None:
    """Size, mtime and inode of the marker and of every entry one and two levels down."""
    sig = []
    try:
        for entry in sorted(os.scandir(landing), key=lambda e: e.name):
            st = entry.stat(follow_symlinks=False)
            sig.append((entry.name, st.st_size, st.st_mtime_ns, st.st_ino, st.st_mode))
            if entry.is_dir(follow_symlinks=False):
                for sub in sorted(os.scandir(entry.path), key=lambda e: e.name):
                    st = sub.stat(follow_symlinks=False)
                    sig.append((entry.name, sub.name, st.st_size, st.st_mtime_ns, st.st_ino, st.st_mode))
    except OSError:
        return None
    return (str(landing.resolve()), *sig)


def check(landing: Path, hashed: dict[str, str] | None = None) -> DemoCheck:
    """Is the landing folder exactly the synthetic data `csc generate` wrote? (see module doc)
    `hashed`: {"la_code=NNN/file": sha256} of files the caller has just hashed (validation's
    landing_files), so an England extract is not hashed twice in one run (#15); the other
    files are hashed here. Such an answer is not kept for later callers (the pseudonymisation
    key's check), which hash every file themselves."""
    landing = Path(landing)
    if not landing.is_dir():
        return DemoCheck(False, f"the landing folder {landing} does not exist")
    if hashed is not None:
        return _check(landing, hashed)
    sig = _signature(landing)
    if sig is not None and sig in _cache:
        return _cache[sig]
    result = _check(landing)
    if sig is not None:
        _cache.clear()
        _cache[sig] = result
    return result


def _check(landing: Path, hashed: dict[str, str] | None = None) -> DemoCheck:
    marker = landing / DEMO_MARKER
    if not marker.is_file() or marker.is_symlink():
        return DemoCheck(False, f"{landing} holds no {DEMO_MARKER} marker from csc generate")
    files = recorded(marker)
    if not files:
        return DemoCheck(
            False,
            f"{marker.name} records no generated files (written by hand or by an "
            "older csc generate: generate the extract again)",
        )
    folders = [p for p in sorted(landing.iterdir()) if p.is_dir() or p.is_symlink()]
    for folder in folders:
        if folder.name not in files:
            return DemoCheck(False, f"{folder.name} in {landing} was not written by csc generate")
    for name, expected in sorted(files.items()):
        folder = landing / name
        if folder.is_symlink() or not folder.is_dir():
            return DemoCheck(False, f"{name}, recorded in {marker.name}, is missing or not a folder")
        present = {p.name: p for p in folder.iterdir()}
        if set(present) != set(expected):
            extra = sorted(set(present) - set(expected))
            missing = sorted(set(expected) - set(present))
            what = f"{name}/{extra[0]} was not written by csc generate" if extra else f"{name}/{missing[0]} was removed"
            return DemoCheck(False, what)
        for fname, digest in sorted(expected.items()):
            path = present[fname]
            if path.is_symlink() or not path.is_file():
                return DemoCheck(False, f"{name}/{fname} is no longer the generated file")
            if ((hashed or {}).get(f"{name}/{fname}") or file_sha256(path)) != digest:
                return DemoCheck(False, f"{name}/{fname} was changed after csc generate wrote it")
    return DemoCheck(True, "")
