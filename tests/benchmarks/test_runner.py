"""A smoke run of the benchmark runner at a tiny size, so that it cannot rot.

No timings are asserted: only the shape of the results, and that nothing failed or was duplicated.
The hcloud client and the chart run when their libraries are installed (``pip install '.[bench]'``).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from benchmarks import analysis, runner, scenarios

HAS_HCLOUD = importlib.util.find_spec("hcloud") is not None
HAS_MATPLOTLIB = importlib.util.find_spec("matplotlib") is not None
RUN_KEYS = {
    "wall",
    "requests",
    "requests_per_server",
    "rate_limited",
    "failures",
    "unfinished",
    "duplicates",
    "cpu",
    "cpu_ms_per_request",
    "peak_rss_mb",
    "timeline",
}


def test_quick_run_of_every_scenario(tmp_path: Path) -> None:
    assert runner.main(["--quick", "--parallel", "--out", str(tmp_path)]) == 0

    results = json.loads((tmp_path / "results.json").read_text())
    assert results["quick"] is True
    assert set(results["scenarios"]) == set(scenarios.NAMES)
    assert (tmp_path / "chart.png").exists() == HAS_MATPLOTLIB
    table = (tmp_path / "results.md").read_text()
    assert "| scenario | client |" in table
    assert "| scenario | target |" in table

    for name, entry in results["scenarios"].items():
        scenario = scenarios.get(name, quick=True)
        expected = runner.clients_for(scenario, with_hcloud=HAS_HCLOUD)
        assert list(entry["runs"]) == expected
        assert set(entry["floor"]) >= {"wall", "requests", "how"}
        for client, run in entry["runs"].items():
            where = f"{name}/{client}"
            assert set(run) >= RUN_KEYS, where
            assert run["failures"] == 0, (where, run["error_samples"])
            assert run["unfinished"] == 0, where
            assert run["duplicates"] == 0, where
            assert not run["timed_out"], where
            assert run["requests"] > 0, where
            assert run["done"] == scenario.servers, where
            assert run["fake_internal_errors"] == [], where
            assert sum(run["timeline"]["requests"]) == run["requests"], where
        if HAS_HCLOUD:
            assert entry["ratios"]["hcloud_requests_over_ours"] is not None
        if name.startswith("fleet-delete"):
            for client, run in entry["runs"].items():
                # A create and its start, then the delete: two waits per server, all timed.
                assert run["detection"]["waits"] == 2 * scenario.servers, client

    verdicts = {(t["scenario"], t["target"]): t["met"] for t in results["targets"]}
    assert ("overhead", "CPU per request <= 1.5x bare aiohttp") in verdicts
    assert verdicts[("rate-limited", "zero duplicates")] is True
    assert verdicts[("scale-5k", "completes")] is True


def test_detection_delay_counts_from_the_last_action_of_each_wait() -> None:
    client = {"wakes": [[10.3, [1, 2]], [12.1, [3]], [13.0, [4]], [14.0, [99]]]}
    fake = {"action_ends": {"1": 9.0, "2": 10.0, "3": 12.0, "4": 12.5}}
    seen = analysis.detection(client, fake)
    assert seen is not None
    assert seen["waits"] == 3  # action 99: the fake never ran it
    assert seen["p50"] == pytest.approx(0.3)
    assert seen["max"] == pytest.approx(0.5)
    assert seen["p95"] == pytest.approx(0.3 + 0.9 * 0.2)
    assert analysis.detection({"wakes": []}, fake) is None
