"""What validation found: findings per file and for the whole extract."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

FATAL, WARNING, INFO = "fatal", "warning", "info"
MAX_EXAMPLES = 5


@dataclass
class Finding:
    severity: str
    check: str
    message: str
    column: str | None = None
    count: int = 1
    examples: list[dict] = field(default_factory=list)  # [{"line": n, "value": v}]


@dataclass
class FileReport:
    la_code: str
    table: str
    path: str | None
    format: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    rows: int = 0
    checks: list[dict] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def fatal(self) -> bool:
        return self.count(FATAL) > 0

    @property
    def label(self) -> str:
        return self.path or f"la_code={self.la_code}/{self.table} (no file)"


@dataclass
class ValidationResult:
    landing: Path
    reporting_date: str
    reporting_date_source: str
    files: list[FileReport]
    extract_findings: list[Finding] = field(default_factory=list)
    summary_path: Path | None = None
    data_docs_index: Path | None = None

    @property
    def findings(self) -> list[tuple[FileReport | None, Finding]]:
        return [(None, f) for f in self.extract_findings] + [(r, f) for r in self.files for f in r.findings]

    @property
    def fatal(self) -> bool:
        return any(f.severity == FATAL for _, f in self.findings)

    def total(self, severity: str) -> int:
        return sum(1 for _, f in self.findings if f.severity == severity)
