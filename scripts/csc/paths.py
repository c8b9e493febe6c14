"""Where things live. Every path can be moved with an environment variable."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
CONTRACT_FILE = REPO_ROOT / "models" / "staging" / "ssd" / "_ssd__sources.yml"
SEEDS_DIR = REPO_ROOT / "seeds"

DEMO_MARKER = "SYNTHETIC_DEMO_DATA.txt"
DEMO_PSEUDONYM_KEY = "csc-demo-key-synthetic-data-only"


def landing_dir() -> Path:
    return Path(os.environ.get("CSC_LANDING_DIR", REPO_ROOT / "data" / "landing"))


def duckdb_path() -> Path:
    return Path(os.environ.get("CSC_DUCKDB_PATH", REPO_ROOT / "warehouse" / "csc.duckdb"))


# DuckDB names a database after its file, except that a file named after one of its own
# databases is renamed <name>_db; dbt-duckdb names it after the file all the same, so a build
# into main.duckdb failed with "Schema with name raw does not exist" on every model.
RESERVED_BUILD_FILE_STEMS = ("main", "system", "temp")


class BuildFileNameError(ValueError):
    """$CSC_DUCKDB_PATH names a file DuckDB would open under another database name."""


def build_file_path() -> Path:
    """duckdb_path(), or BuildFileNameError (one line) when dbt could not build into it."""
    path = duckdb_path()
    if path.stem.lower() in RESERVED_BUILD_FILE_STEMS:
        raise BuildFileNameError(
            f"the build file {path.name} cannot be used: DuckDB keeps the names "
            f"{', '.join(RESERVED_BUILD_FILE_STEMS)} for itself; name it e.g. csc.duckdb (CSC_DUCKDB_PATH)"
        )
    return path


class ProfilesDirError(ValueError):
    """$DBT_PROFILES_DIR names a folder whose profiles.yml is missing, unreadable or without the project's profile."""


def profiles_dir() -> Path:
    """dbt's profiles folder: $DBT_PROFILES_DIR (dbt's own variable, relative to the current
    folder as dbt reads it) when set, else the repository, whose profiles.yml is the project's
    (the landing plugin, the memory limit, the threads). ProfilesDirError (one line) before dbt
    starts when the folder has no profiles.yml, or one without the project's profile (a
    DBT_PROFILES_DIR set for other projects, ~/.dbt say)."""
    override = os.environ.get("DBT_PROFILES_DIR", "").strip()
    path = Path(override).resolve() if override else REPO_ROOT
    if override:
        import yaml

        start = f"unset it to use the project's ({REPO_ROOT / 'profiles.yml'}), or start yours from that file"
        try:
            profiles = yaml.safe_load((path / "profiles.yml").read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ProfilesDirError(f"DBT_PROFILES_DIR={override} has no profiles.yml: {start}") from None
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise ProfilesDirError(
                f"DBT_PROFILES_DIR={override}: profiles.yml cannot be read ({type(exc).__name__}): {start}"
            ) from None
        wanted = yaml.safe_load((REPO_ROOT / "dbt_project.yml").read_text(encoding="utf-8"))["profile"]
        if not isinstance(profiles, dict) or wanted not in profiles:
            raise ProfilesDirError(
                f"DBT_PROFILES_DIR={override}: its profiles.yml has no profile named {wanted}: {start}"
            )
    return path


def target_dir() -> Path:
    """dbt's target folder ($DBT_TARGET_PATH, relative to the repo, or target/)."""
    override = os.environ.get("DBT_TARGET_PATH")
    if override:
        return Path(override) if Path(override).is_absolute() else REPO_ROOT / override
    return REPO_ROOT / "target"


def published_dir() -> Path:
    return Path(os.environ.get("CSC_PUBLISH_DIR", REPO_ROOT / "warehouse" / "published"))
