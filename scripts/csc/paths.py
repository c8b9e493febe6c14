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


def target_dir() -> Path:
    """dbt's target folder ($DBT_TARGET_PATH, relative to the repo, or target/)."""
    override = os.environ.get("DBT_TARGET_PATH")
    if override:
        return Path(override) if Path(override).is_absolute() else REPO_ROOT / override
    return REPO_ROOT / "target"


def published_dir() -> Path:
    return Path(os.environ.get("CSC_PUBLISH_DIR", REPO_ROOT / "warehouse" / "published"))
