"""scripts/dev/rule_node_times.py: the DfE rule models' node time against the rest (fast, hand-made artifacts)."""

from __future__ import annotations

import json
from pathlib import Path

from csc import devtools

rule_node_times = devtools.load("rule_node_times")  # scripts/dev/rule_node_times.py


def _artifacts(tmp_path: Path) -> Path:
    results = [
        ("model.csc.int_dq_dfe_codes", 3.0),
        ("model.csc.int_dq_dfe_rules", 1.0),
        ("test.csc.columns_valid_int_dq_dfe_rules_x.abc", 0.5),
        ("unit_test.csc.int_dq_dfe_codes.edge", 0.25),
        ("model.csc.int_dq_census_period", 0.5),
        ("model.csc.stg_ssd__person", 6.0),
        ("test.csc.relationships_dq_issues_x.def", 1.5),
        ("seed.csc.dfe_cin_rules", 2.0),
    ]
    depends = {
        "test.csc.columns_valid_int_dq_dfe_rules_x.abc": ["model.csc.int_dq_dfe_rules"],
        "test.csc.relationships_dq_issues_x.def": ["model.csc.dq_issues", "model.csc.stg_ssd__person"],
    }
    run = {"elapsed_time": 10.0, "results": [{"unique_id": u, "execution_time": s} for u, s in results]}
    manifest = {
        "nodes": {u: {"depends_on": {"nodes": depends.get(u, [])}} for u, _ in results if not u.startswith("unit")},
        "unit_tests": {
            "unit_test.csc.int_dq_dfe_codes.edge": {"depends_on": {"nodes": ["model.csc.int_dq_dfe_codes"]}}
        },
    }
    (tmp_path / "run_results.json").write_text(json.dumps(run))
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    return tmp_path


def test_rule_models_and_their_tests_against_the_rest(tmp_path):
    target = _artifacts(tmp_path)
    summary = rule_node_times.summarise(
        json.loads((target / "run_results.json").read_text()), json.loads((target / "manifest.json").read_text())
    )
    assert summary["seconds"] == {"rules": 4.75, "rest": 10.0}
    assert summary["nodes_by_kind"]["rules"] == {"model": 2, "test": 1, "unit_test": 1}
    assert summary["ratio_with_rules"] == 1.475
    assert summary["slowest"]["rules"][0] == ["int_dq_dfe_codes", 3.0]
    # int_dq_census_period is read by marts outside the rules: it counts with the rest
    assert ["int_dq_census_period", 0.5] in summary["slowest"]["rest"]


def test_command_line_prints_and_fails_cleanly(tmp_path, capsys):
    assert rule_node_times.main([str(_artifacts(tmp_path))]) == 0
    assert "(rules + rest) / rest = 1.475" in capsys.readouterr().out
    assert rule_node_times.main([str(tmp_path / "missing")]) == 2
    assert "rule_node_times: cannot read" in capsys.readouterr().err
