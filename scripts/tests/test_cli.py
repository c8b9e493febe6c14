"""The command line: --help everywhere, clear errors without tracebacks, the pseudonym key rule."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from csc import dbt_plugin
from csc.cli import app

runner = CliRunner()
COMMANDS = ["generate", "validate", "build", "publish", "report", "import-cin-census",
            "export-cin-census", "check-cin-census", "refresh-reference", "demo"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output


def test_generate_rejects_a_bad_la_code(tmp_path):
    result = runner.invoke(app, ["generate", "--out", str(tmp_path), "--la", "12"])
    assert result.exit_code == 2
    assert "csc generate:" in result.output and "Traceback" not in result.output


def test_validate_an_empty_landing_folder_fails_clearly(tmp_path):
    result = runner.invoke(app, ["validate", "--landing", str(tmp_path)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output


def test_import_of_something_that_is_not_xml_fails_clearly(tmp_path):
    bad = tmp_path / "return.xml"
    bad.write_text("this is not XML")
    result = runner.invoke(app, ["import-cin-census", str(bad), "--landing", str(tmp_path / "landing")])
    assert result.exit_code == 2 and "line" in result.output


def test_real_extract_without_a_key_is_refused_with_instructions(tmp_path, monkeypatch):
    (tmp_path / "la_code=878").mkdir()
    monkeypatch.setenv("CSC_LANDING_DIR", str(tmp_path))
    monkeypatch.delenv("CSC_PSEUDONYM_KEY", raising=False)
    with pytest.raises(dbt_plugin.PseudonymKeyMissing, match="export CSC_PSEUDONYM_KEY"):
        dbt_plugin.pseudonym_key()


def test_demo_data_uses_the_documented_demo_key(tmp_path, monkeypatch):
    (tmp_path / "SYNTHETIC_DEMO_DATA.txt").write_text("synthetic")
    monkeypatch.setenv("CSC_LANDING_DIR", str(tmp_path))
    monkeypatch.delenv("CSC_PSEUDONYM_KEY", raising=False)
    assert dbt_plugin.pseudonym_key() == dbt_plugin.DEMO_PSEUDONYM_KEY
