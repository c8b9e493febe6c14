"""Publish's file-system steps: one publish at a time, stale folders removed, the atomic swap."""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

from .errors import PublishError


def _pid_alive(pid: int) -> bool:
    if os.name == "nt":  # (w14) on Windows os.kill(pid, 0) would end that process (TerminateProcess)
        return _windows_pid_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _windows_pid_alive(pid: int) -> bool:  # pragma: no cover - Windows only (w14)
    """Whether a process exists on Windows, without touching it (OpenProcess, exit code)."""
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return ctypes.get_last_error() == 5  # access denied: it exists, owned by someone else
    try:
        code = ctypes.c_ulong()
        return bool(kernel32.GetExitCodeProcess(handle, ctypes.byref(code))) and code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


@contextlib.contextmanager
def publish_lock(published: Path) -> Iterator[None]:
    """One publish at a time per published folder (the lock file sits beside the folder)."""
    published.parent.mkdir(parents=True, exist_ok=True)
    lock_path = published.parent / f".{published.name}.lock"
    with open(lock_path, "w") as handle:
        try:
            import fcntl

            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:  # pragma: no cover - Windows: a byte-range lock instead (w14)
            import msvcrt

            try:
                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            except OSError:
                raise PublishError("lock", f"another publish to {published} is running") from None
        except OSError:
            raise PublishError("lock", f"another publish to {published} is running") from None
        yield


def remove_stale(published: Path) -> None:
    """Folders left by a publish that was killed half-way (its process is gone), with any
    temporary work inside them (the dbt docs run happens inside the staging folder)."""
    for stale in published.parent.glob(f"{published.name}.*-*"):
        kind, _, pid = stale.name[len(published.name) + 1 :].partition("-")
        if kind in ("tmp", "old") and pid.isdigit() and stale.is_dir() and not _pid_alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EXDEV, errno.ENOTSUP, errno.EPERM):
        return False
    raise OSError(err, os.strerror(err), str(a))


def swap_into_place(new: Path, published: Path) -> None:
    """Make `new` the published folder. Readers see the old folder or the new one, never a mix."""
    if not published.exists():
        os.rename(new, published)
        return
    if _exchange(new, published):
        shutil.rmtree(new)  # `new` now holds the previous publication
        return
    old = published.with_name(f"{published.name}.old-{os.getpid()}")
    os.rename(published, old)
    os.rename(new, published)  # the only window with no published folder: between these two
    shutil.rmtree(old)
