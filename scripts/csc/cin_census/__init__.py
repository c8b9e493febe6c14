"""Children in Need census XML: import into the landing folder, export from the warehouse, check.

    import_cin_census(xml_path, landing, la_code=None)  -> ImportSummary   (importer.py)
    export_cin_census(duckdb_path, la_code, year, out)  -> ExportSummary   (exporter.py)
    check_cin_census(xml_path)                          -> CheckResult     (checker.py)
    write_cin_census_xml(path, children, year, la_code) -> int             (xmlio.py, test data)

The census structure for every year is Python data in schema.py (transcribed from the DfE
XSDs); nothing here reads /work/shared at run time.
"""

from .checker import CheckResult, check_cin_census
from .exporter import ExportSummary, export_cin_census
from .importer import ImportSummary, import_cin_census
from .schema import schema_year
from .xmlio import (
    CinCensusError,
    CinCensusFormatError,
    CinCensusValidationError,
    read_cin_census_xml,
    write_cin_census_xml,
)

__all__ = [
    "CheckResult",
    "CinCensusError",
    "CinCensusFormatError",
    "CinCensusValidationError",
    "ExportSummary",
    "ImportSummary",
    "check_cin_census",
    "export_cin_census",
    "import_cin_census",
    "read_cin_census_xml",
    "schema_year",
    "write_cin_census_xml",
]
