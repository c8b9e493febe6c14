"""The command line: --help everywhere, clear errors without tracebacks, the pseudonym key rule."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from csc import dbt_plugin
from csc.cli import app

runner = CliRunner()
COMMANDS = [
    "generate",
    "validate",
    "build",
    "publish",
    "report",
    "import-cin-census",
    "export-cin-census",
    "check-cin-census",
    "refresh-reference",
    "bench",
    "demo",
]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output


def test_generate_rejects_a_bad_la_code(tmp_path):
    result = runner.invoke(app, ["generate", "--out", str(tmp_path), "--la", "12"])
    assert result.exit_code == 2
    assert "csc generate:" in result.output and "Traceback" not in result.output


def test_validate_an_empty_landing_folder_fails_clearly(tmp_path, monkeypatch):
    monkeypatch.setenv("CSC_PSEUDONYM_KEY", "test-key")  # past the key check (test_input_keyed_hash)
    # The summary and Data Docs go under tmp_path, never the worktree's target/ (where a
    # concurrent `make dbt-test` or `csc build` reads the real validation summary).
    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "target"))
    (tmp_path / "landing").mkdir()
    result = runner.invoke(app, ["validate", "--landing", str(tmp_path / "landing")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert (tmp_path / "target" / "validation_summary.json").is_file()


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
    from csc import demo_marker  # the marker must record the generated folders and their hashes

    (tmp_path / "la_code=878").mkdir()
    (tmp_path / "la_code=878" / "ssd_person.csv").write_text("pers_person_id\nP1\n")
    demo_marker.write(tmp_path, "synthetic", [tmp_path / "la_code=878"])
    monkeypatch.setenv("CSC_LANDING_DIR", str(tmp_path))
    monkeypatch.delenv("CSC_PSEUDONYM_KEY", raising=False)
    assert dbt_plugin.pseudonym_key() == dbt_plugin.DEMO_PSEUDONYM_KEY


def test_version():
    from importlib import metadata

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith(f"csc {metadata.version('csc-warehouse')} (dbt-core ")


def test_every_command_is_in_the_readme():
    """The README's command table lists every command the CLI has."""
    from csc import paths

    readme = (paths.REPO_ROOT / "README.md").read_text(encoding="utf-8")
    table = [
        line
        for line in readme.split("| command | what it does |", 1)[1].split("\n\n", 1)[0].splitlines()
        if line.startswith("| `csc ")
    ]
    names = sorted((c.name or c.callback.__name__).replace("_", "-") for c in app.registered_commands)
    assert set(COMMANDS) <= set(names)
    missing = [n for n in names if not any(line.startswith(f"| `csc {n}") for line in table)]
    assert not missing, f"commands missing from the README: {missing}"


# --------------------------------------------------------------------------------------------
# dbt's output: quiet, one progress line, a summary with failures in full, the log's path
# --------------------------------------------------------------------------------------------


class _Msg:
    def __init__(self, name, **data):
        from types import SimpleNamespace

        self.info = SimpleNamespace(name=name)
        self.data = SimpleNamespace(**data)


def _fake_runner(events, result):
    class Runner:
        def __init__(self, callbacks=()):
            self.callbacks = callbacks

        def invoke(self, args):
            Runner.args = args
            for e in events:
                for cb in self.callbacks:
                    cb(e)
            return result

    return Runner


def test_dbt_output_is_quiet_with_progress_summary_and_failures_in_full(tmp_path, monkeypatch):
    import io
    from types import SimpleNamespace as NS

    from csc import dbt_output

    monkeypatch.delenv(dbt_output.VERBOSE_ENV, raising=False)
    nodes = [NS(node_name=f"m{i}", resource_type="model", node_status="success") for i in range(19)]
    nodes.append(NS(node_name="unique_x", resource_type="test", node_status="fail"))
    events = [_Msg("LogStartLine", total=20, node_info=nodes[0])]
    events += [_Msg("NodeFinished", node_info=n) for n in nodes]
    failed = NS(
        status=NS(value="fail"),
        message="Got 3 results, configured to fail if != 0",
        failures=3,
        node=NS(
            unique_id="test.csc.unique_x",
            resource_type=NS(value="test"),
            compiled_path="compiled/csc/models/x.yml/unique_x.sql",
        ),
    )
    passed = NS(
        status=NS(value="success"),
        message="OK",
        failures=None,
        node=NS(unique_id="model.csc.m0", resource_type=NS(value="model"), compiled_path=None),
    )
    result = NS(success=False, exception=None, result=NS(results=[passed, failed]))
    out = io.StringIO()
    runner = _fake_runner(events, result)
    dbt_output.invoke(["build", "--project-dir", "x"], tmp_path / "logs", runner_factory=runner, stream=out)
    text = out.getvalue()
    lines = text.splitlines()
    assert "--log-level" in runner.args and "none" in runner.args and "--no-use-colors" in runner.args
    assert runner.args[runner.args.index("--log-path") + 1] == str(tmp_path / "logs")
    progress = [line for line in lines if line.startswith("dbt build  ")]
    assert 1 <= len(progress) <= 11 and progress[-1].startswith("dbt build  20/20  100%  1 failed")
    assert "dbt build: FAILED" in text and "models 1 success" in text and "tests 1 fail" in text
    assert "  FAIL: test.csc.unique_x" in lines
    assert "      Got 3 results, configured to fail if != 0" in lines and "      failing rows: 3" in lines
    assert lines[-1] == f"Full dbt log: {tmp_path / 'logs' / 'dbt.log'}"
    assert "\x1b" not in text


def test_dbt_output_verbose_passes_dbt_through(tmp_path, monkeypatch):
    from types import SimpleNamespace as NS

    from csc import dbt_output

    monkeypatch.setenv(dbt_output.VERBOSE_ENV, "1")
    runner = _fake_runner([], NS(success=True, result=None, exception=None))
    dbt_output.invoke(["build"], tmp_path, runner_factory=runner)
    assert runner.args == ["build"]


def test_dbt_log_file_is_info_unless_asked_for_debug(tmp_path, monkeypatch):
    """dbt's log file is at info level (the SQL of every node is in target/run and
    target/compiled); CSC_DBT_LOG_LEVEL=debug brings back every statement; a bad level is a
    one-line error before the build starts."""
    from csc import dbt_output
    from csc.build import dbt_build

    def level(args):
        return args[args.index("--log-level-file") + 1]

    monkeypatch.delenv(dbt_output.LOG_LEVEL_ENV, raising=False)
    assert level(dbt_output.quiet_args(["build"], tmp_path)) == "info"
    monkeypatch.setenv(dbt_output.LOG_LEVEL_ENV, "DEBUG")
    assert level(dbt_output.quiet_args(["build"], tmp_path)) == "debug"
    monkeypatch.setenv(dbt_output.LOG_LEVEL_ENV, "loud")
    monkeypatch.setenv("CSC_DUCKDB_PATH", str(tmp_path / "never.duckdb"))
    assert dbt_build() is False
    assert not (tmp_path / "never.duckdb").exists()
