"""Write-audit-publish: what analysts and Power BI read is only ever a checked, complete build.

    csc publish [--suppress] [--skip-build]

1. Write   validate the landing folder (csc.validate; fatal problems stop here), then `dbt
           build` into the build file (CSC_DUCKDB_PATH), which records itself in the file
           (csc.build_record). --skip-build uses the build already made.
2. Audit   (audit.py) the build file's own record must say `passed` for exactly the landing
           files now there (paths, sizes, sha256), made after the validation whose summary
           describes those files, with that build's own dbt artifacts (complete `dbt build`,
           nothing failed) and every expected mart present. Anything else: one line, nothing
           published.
3. Assemble (outputs.py, pages.py) every published table goes into a new folder beside the
           published one (`<published>.tmp-<pid>`), the dbt docs are generated inside it, our
           own validation page is rendered from the checked summary (escaped, dates of birth
           and death masked, no remote assets), and csc.privacy scans every column.
4. Publish (swap.py) the new folder replaces the published one in one step (Linux:
           renameat2 RENAME_EXCHANGE; elsewhere two renames microseconds apart), then the old
           folder is deleted. A refused step writes nothing to `<published>`.

The published folder (default warehouse/published, CSC_PUBLISH_DIR):

    csc_marts.duckdb        schema `marts` only, with the dbt descriptions as comments
    parquet/<table>.parquet one file per published table (Power BI: Get Data > Parquet/Folder)
    manifest.json           build id and record, reporting dates, extract files with rows and
                            sha256, validation id and counts, dbt test summary, versions, tables
    docs/index.html         the dbt docs site as one static file
    validation/index.html   the validation results of the published extract (internal only)

Readers never see a half-written file: a reader holding the old csc_marts.duckdb open keeps
reading the old file's inode after the swap (POSIX; on Windows close readers first).

--suppress publishes for outside the council: aggregate marts only, with small-number
suppression (see csc.privacy and the README's privacy section).
"""

from .audit import FAILED_STATUSES, audit_build, dbt_test_summary, verify_build
from .command import AGGREGATE_MARTS, MANIFEST, MARTS, PUBLISHED_DUCKDB, PublishResult, progress, publish, target_dir
from .errors import PublishError
from .swap import _exchange, swap_into_place

__all__ = [
    "AGGREGATE_MARTS",
    "FAILED_STATUSES",
    "MANIFEST",
    "MARTS",
    "PUBLISHED_DUCKDB",
    "PublishError",
    "PublishResult",
    "_exchange",
    "audit_build",
    "dbt_test_summary",
    "progress",
    "publish",
    "swap_into_place",
    "target_dir",
    "verify_build",
]
