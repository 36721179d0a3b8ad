"""The assumptions log records the calibrated assumptions with RAG ratings."""

from __future__ import annotations

from pathlib import Path

import yaml

LOG = Path(__file__).resolve().parents[3] / "data" / "reference" / "assumptions" / "cost_benefit.yml"


def test_log_entries_are_complete():
    entries = yaml.safe_load(LOG.read_text())
    for entry in entries:
        assert {"id", "assumption", "source", "quality", "impact"} <= set(entry)
        assert entry["quality"] in {"red", "amber", "green"}
        assert entry["impact"] in {"low", "medium", "high"}
    assert len({e["id"] for e in entries}) == len(entries)


def test_calibrated_rotherham_assumptions_are_logged(rotherham):
    entries = {e["id"]: e for e in yaml.safe_load(LOG.read_text())}
    assert "Calibrated" in entries["cb-rotherham-success-rate"]["source"]
    assert "70%" in entries["cb-rotherham-success-rate"]["assumption"]
    exits = entries["cb-rotherham-counterfactual-exits"]["assumption"]
    for share in rotherham.counterfactual_exits.values():
        assert f"{share:.0%}" in exits
    assert "35,625" in entries["cb-rotherham-set-up"]["assumption"]
