"""Children in Need census XML: import into the landing folder, export from the warehouse, check.

    import_cin_census(xml_path, landing, la_code=None)  -> ImportSummary   (importer.py)
    export_cin_census(duckdb_path, la_code, year, out)  -> ExportSummary   (exporter.py)
    check_cin_census(xml_path)                          -> CheckResult     (checker.py)
    write_cin_census_xml(path, children, year, la_code) -> int             (xmlio.py, test data)

The census structure for every year is Python data in schema.py (transcribed from the DfE
XSDs); nothing here reads /work/shared at run time.
"""

from .schema import schema_year
from .xmlio import (CinCensusError, CinCensusFormatError, CinCensusValidationError,
                    read_cin_census_xml, write_cin_census_xml)
from .importer import ImportSummary, import_cin_census
from .exporter import ExportSummary, export_cin_census
from .checker import CheckResult, check_cin_census

__all__ = [
    "CinCensusError", "CinCensusFormatError", "CinCensusValidationError", "ImportSummary",
    "ExportSummary", "CheckResult", "import_cin_census", "export_cin_census", "check_cin_census",
    "write_cin_census_xml", "read_cin_census_xml", "schema_year",
]
