"""Run every scenario for every client, each client in its own process against its own fake.

``python -m benchmarks`` runs the full size and writes ``benchmarks/results/`` (JSON, Markdown,
PNG) and the results section of ``benchmarks/README.md``; ``--quick`` runs the smoke size.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from . import report, scenarios
from .analysis import metrics, scenario_result
from .machine import machine
from .processes import fake_process, run_client
from .scenarios import Scenario
from .targets import targets, targets_lines

__all__ = ["clients_for", "main", "run_all"]

ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "results"


def hcloud_available() -> bool:
    """Tell whether the official client is installed (``pip install '.[bench]'``)."""
    return importlib.util.find_spec("hcloud") is not None


def clients_for(scenario: Scenario, *, with_hcloud: bool) -> list[str]:
    """Return the clients that run a scenario."""
    names = ["hetzner_async"]
    if with_hcloud:
        names.append("hcloud")
    if scenario.floor_client:
        names.append("aiohttp (floor)")
    return names


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _line(name: str, client: str, m: dict[str, Any]) -> str:
    return (
        f"{name:>12} {client:<16} {m['wall']:8.2f} s  {m['requests']:6d} requests  "
        f"{m['rate_limited']:5d} 429s  {m['failures']:4d} failures  {m['cpu']:7.2f} s CPU  "
        f"{m['peak_rss_mb']:6.1f} MB" + ("  TIMED OUT" if m["timed_out"] else "")
    )


def run_all(
    names: Sequence[str], *, quick: bool, with_hcloud: bool, parallel: bool = False
) -> dict[str, Any]:
    """Run every client on every scenario.

    By default one run at a time: each scenario's fake lives in a process of its own and is
    reset before each client. ``parallel`` (the smoke run; timings are then meaningless) starts
    every run at once, each on a fake of its own, all fakes in one process.
    """
    started = time.perf_counter()
    plan = [
        (scenarios.get(name, quick=quick), client)
        for name in names
        for client in clients_for(scenarios.get(name, quick=quick), with_hcloud=with_hcloud)
    ]
    measured: dict[tuple[str, str], dict[str, Any]] = {}

    def one(scenario: Scenario, client: str, fake: dict[str, str]) -> None:
        m = metrics(scenario, run_client(scenario, client, fake, quick))
        measured[scenario.name, client] = m
        _log(_line(scenario.name, client, m))

    if parallel:
        with (
            fake_process([s.name for s, _ in plan], quick) as fakes,
            ThreadPoolExecutor(len(plan)) as pool,
        ):
            for future in [
                pool.submit(one, s, c, fake) for (s, c), fake in zip(plan, fakes, strict=True)
            ]:
                future.result()
    else:
        for name in names:
            with fake_process([name], quick) as (fake,):
                rounds: dict[str, list[dict[str, Any]]] = {}
                for _ in range(scenarios.get(name, quick=quick).repeats):
                    for scenario, client in plan:
                        if scenario.name == name:
                            one(scenario, client, fake)
                            rounds.setdefault(client, []).append(measured[name, client])
                for client, tries in rounds.items():
                    if len(tries) > 1:
                        ranked = sorted(tries, key=lambda m: m["cpu_ms_per_request"] or 0.0)
                        kept = ranked[len(ranked) // 2]
                        kept["rounds_cpu_ms_per_request"] = [m["cpu_ms_per_request"] for m in tries]
                        measured[name, client] = kept
    results: dict[str, Any] = {"quick": quick, "machine": machine(), "scenarios": {}}
    for name in names:
        scenario = scenarios.get(name, quick=quick)
        runs = {c: measured[n, c] for n, c in measured if n == name}
        ordered = {c: runs[c] for c in clients_for(scenario, with_hcloud=with_hcloud)}
        results["scenarios"][name] = scenario_result(scenario, ordered)
    results["seconds"] = round(time.perf_counter() - started, 1)
    results["targets"] = targets(results)
    return results


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmarks and write the results."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="hetzner_async against hcloud and bare aiohttp, on the fake Hetzner Cloud.",
    )
    parser.add_argument("--quick", action="store_true", help="the smoke size (seconds)")
    parser.add_argument(
        "--scenario", action="append", choices=scenarios.NAMES, help="run only these (repeatable)"
    )
    parser.add_argument(
        "--out", type=Path, help="results directory (default: benchmarks/results, or a temp dir)"
    )
    parser.add_argument("--no-hcloud", action="store_true", help="skip the hcloud client")
    parser.add_argument(
        "--parallel",
        action="store_true",
        help="run everything at once (smoke only: distorts timings)",
    )
    args = parser.parse_args(argv)
    with_hcloud = hcloud_available() and not args.no_hcloud
    if not with_hcloud and not args.no_hcloud:
        _log("hcloud is not installed (pip install '.[bench]'): running without it")
    out: Path = args.out or (Path(tempfile.mkdtemp(prefix="bench-")) if args.quick else RESULTS)
    results = run_all(
        args.scenario or scenarios.NAMES,
        quick=args.quick,
        with_hcloud=with_hcloud,
        parallel=args.parallel,
    )
    written = report.write(results, out)
    if out.resolve() == RESULTS.resolve() and not args.quick and args.scenario is None:
        report.update_readme(results, ROOT / "README.md")
        written.append(ROOT / "README.md")
    _log(f"done in {results['seconds']} s; wrote " + ", ".join(str(p) for p in written))
    for line in targets_lines(results):
        _log(line)
    return 0
