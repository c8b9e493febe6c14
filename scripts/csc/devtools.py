"""The development tools in scripts/dev/ (benchmarks, referees): part of a source checkout, not
of the runtime package. `csc bench` is the one command that runs one; it loads it from here."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from . import paths

DEV_DIR = paths.REPO_ROOT / "scripts" / "dev"


class DevToolMissing(RuntimeError):
    pass


def load(name: str, dev_dir: Path | None = None) -> ModuleType:
    """scripts/dev/<name>.py as a module (loaded once), or DevToolMissing with a one-line reason."""
    module_name = f"csc_dev_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    path = (dev_dir or DEV_DIR) / f"{name}.py"
    if not path.is_file():
        raise DevToolMissing(
            f"{path} not found: it is a development tool, in a source checkout only (git clone, then make install)"
        )
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # before running it: dataclasses look their module up
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[module_name]
        raise
    return module
