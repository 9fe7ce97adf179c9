"""Run every scenario for every client, each client in its own process against its own fake.

``python -m benchmarks`` runs the full size and writes ``benchmarks/results/`` (JSON, Markdown,
PNG) and the results section of ``benchmarks/README.md``; ``--quick`` runs the smoke size.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import math
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from . import report, scenarios
from .scenarios import Scenario

__all__ = ["CLIENTS", "clients_for", "main", "run_all", "run_client"]

ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "results"
#: Client name -> the module that runs it.
CLIENTS = {
    "hetzner_async": "benchmarks.client_async",
    "hcloud": "benchmarks.client_hcloud",
    "aiohttp (floor)": "benchmarks.client_floor",
}


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


# --- one fake, one client -----------------------------------------------------------------------


@contextlib.contextmanager
def fake_process(names: Sequence[str], quick: bool) -> Iterator[list[dict[str, str]]]:
    """Start one fake per name, all in one process of their own; yield their URLs in order."""
    command = [sys.executable, "-m", "benchmarks.fake_server"]
    for name in names:
        command += ["--scenario", name]
    if quick:
        command.append("--quick")
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=ROOT.parent)
    try:
        assert process.stdout is not None
        fakes: list[dict[str, str]] = []
        for _ in names:
            line = process.stdout.readline()
            if not line:
                raise RuntimeError(f"the fake did not start (exit {process.wait()})")
            fakes.append(json.loads(line))
        yield fakes
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


def _admin(url: str, method: str = "GET") -> Any:
    request = urllib.request.Request(url, method=method)
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.load(response)


def run_client(
    scenario: Scenario, client: str, fake: dict[str, str], quick: bool
) -> dict[str, Any]:
    """Run one client on a freshly reset fake; return its own report and the fake's."""
    _admin(f"{fake['base_url']}/_bench/prepare", "POST")
    command = [
        sys.executable,
        "-m",
        CLIENTS[client],
        "--scenario",
        scenario.name,
        "--url",
        fake["url"],
        "--base-url",
        fake["base_url"],
        "--token",
        fake["token"],
    ]
    if quick:
        command.append("--quick")
    started = time.perf_counter()
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        cwd=ROOT.parent,
        timeout=scenario.time_cap + 120,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise RuntimeError(
            f"{client} on {scenario.name} exited {done.returncode}: {done.stderr[-2000:]}"
        )
    result: dict[str, Any] = json.loads(lines[-1])
    result["process_seconds"] = round(time.perf_counter() - started, 2)
    return {"client": result, "fake": _admin(f"{fake['base_url']}/_bench/report")}


# --- metrics ------------------------------------------------------------------------------------


def _throttled_throughput(timeline: dict[str, list[Any]]) -> dict[str, Any] | None:
    """Return the accepted requests per second while the budget was the bottleneck.

    The phase starts at the first response that left the bucket empty (or was a 429) and ends
    with the last accepted create; None when the bucket never ran dry.
    """
    t, status, remaining = timeline["t"], timeline["status"], timeline["remaining"]
    start = next((i for i, (s, r) in enumerate(zip(status, remaining, strict=True))
                  if s == 429 or r == 0), None)  # fmt: skip
    creates = [
        i
        for i, (m, p, s) in enumerate(
            zip(timeline["method"], timeline["path"], status, strict=True)
        )
        if m == "POST" and p == "/servers" and s == 201
    ]
    if start is None or not creates or creates[-1] <= start:
        return None
    end = creates[-1]
    span = t[end] - t[start]
    accepted = sum(1 for s in status[start + 1 : end + 1] if s != 429)
    return {"start": t[start], "end": t[end], "accepted": accepted, "rate": accepted / span}


def _percentile(values: Sequence[float], q: float) -> float:
    """Return the ``q`` quantile (0-1) of the values, interpolating between neighbours."""
    ordered = sorted(values)
    at = q * (len(ordered) - 1)
    low = math.floor(at)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (at - low)


def detection(client: dict[str, Any], fake: dict[str, Any]) -> dict[str, Any] | None:
    """Return how long after its actions ended each wait woke its caller: p50, p95, max.

    The fake notes when each action ends and the client when each wait returns, both on the
    machine's monotonic clock; a wait for several actions (a create and its start) counts from
    the last of them. None when the scenario waits for no actions.
    """
    ends = fake.get("action_ends", {})
    delays = [
        woken - max(ends[str(i)] for i in ids)
        for woken, ids in client.get("wakes", [])
        if ids and all(str(i) in ends for i in ids)
    ]
    if not delays:
        return None
    return {
        "waits": len(delays),
        "p50": round(_percentile(delays, 0.5), 4),
        "p95": round(_percentile(delays, 0.95), 4),
        "max": round(max(delays), 4),
        "min": round(min(delays), 4),
    }


def _bins(timeline: dict[str, list[Any]], width: float) -> dict[str, list[Any]]:
    """Return the timeline per bin: requests, 429s and the lowest budget reported."""
    t = timeline["t"]
    count = math.floor(t[-1] / width) + 1 if t else 0
    requests, throttled = [0] * count, [0] * count
    low: list[int | None] = [None] * count
    for when, status, remaining in zip(t, timeline["status"], timeline["remaining"], strict=True):
        i = int(when / width)
        requests[i] += 1
        throttled[i] += status == 429
        if remaining >= 0:
            previous = low[i]
            low[i] = remaining if previous is None else min(previous, remaining)
    return {
        "width": [width],
        "t": [round(i * width, 3) for i in range(count)],
        "requests": requests,
        "throttled": throttled,
        "remaining_min": low,
    }


def metrics(scenario: Scenario, run: dict[str, Any]) -> dict[str, Any]:
    """Return the numbers of one client run."""
    client, fake = run["client"], run["fake"]
    requests = fake["total"]
    created = fake["servers_created"]
    expected = scenario.servers if scenario.name not in ("list-10k", "overhead") else 0
    duplicates = (
        max(0, created - expected)
        + fake["refused_duplicate_creates"]
        + fake["duplicate_names_left"]
    )
    out = {
        "wall": client["wall"],
        "requests": requests,
        "requests_per_server": round(requests / scenario.servers, 3),
        "rate_limited": fake["rate_limited"],
        "failures": client["failures"],
        "unfinished": max(0, scenario.servers - client["done"] - client["failures"])
        if scenario.name != "list-10k"
        else 0,
        "duplicates": duplicates,
        "cpu": client["cpu"],
        "cpu_ms_per_request": round(1000 * client["cpu"] / requests, 4) if requests else None,
        "peak_rss_mb": client["peak_rss_mb"],
        "rss_before_mb": client["rss_before_mb"],
        "done": client["done"],
        "timed_out": client["timed_out"],
        "errors": client["errors"],
        "error_samples": client["error_samples"],
        "fake_internal_errors": fake["internal_errors"],
        "by_route": fake["by_route"],
        "client_extra": {
            k: v
            for k, v in client.items()
            if k in ("rate_limit_waits", "rate_limit_waited_s", "throttled_seen", "threads")
        },
    }
    out["detection"] = detection(client, fake)
    timeline = fake["timeline"]
    if scenario.rate_limit is not None and scenario.name == "rate-limited":
        out["throughput"] = _throttled_throughput(timeline)
    span = timeline["t"][-1] if timeline["t"] else 0.0
    out["timeline"] = _bins(timeline, max(0.05, span / 300))
    return out


def _ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return round(a / b, 3)


def summarize(scenario: Scenario, runs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Return the ratios of one scenario: hetzner_async against hcloud and against the floor."""
    ours = runs["hetzner_async"]
    theirs = runs.get("hcloud")
    floor = scenario.floor()
    measured = runs.get("aiohttp (floor)")
    ratios: dict[str, Any] = {}
    if theirs is not None:
        ratios["hcloud_requests_over_ours"] = _ratio(theirs["requests"], ours["requests"])
        ratios["hcloud_wall_over_ours"] = _ratio(theirs["wall"], ours["wall"])
        ratios["hcloud_cpu_over_ours"] = _ratio(theirs["cpu"], ours["cpu"])
        ratios["hcloud_rss_over_ours"] = _ratio(theirs["peak_rss_mb"], ours["peak_rss_mb"])
    if measured is not None:
        floor = {
            **floor,
            "wall": measured["wall"],
            "requests": measured["requests"],
            "cpu_ms_per_request": measured["cpu_ms_per_request"],
        }
        ratios["ours_cpu_per_request_over_floor"] = _ratio(
            ours["cpu_ms_per_request"], measured["cpu_ms_per_request"]
        )
        if theirs is not None:
            ratios["hcloud_cpu_per_request_over_floor"] = _ratio(
                theirs["cpu_ms_per_request"], measured["cpu_ms_per_request"]
            )
    ratios["ours_wall_over_floor"] = _ratio(ours["wall"], floor["wall"])
    ratios["ours_requests_over_floor"] = _ratio(ours["requests"], floor["requests"])
    if theirs is not None:
        ratios["hcloud_wall_over_floor"] = _ratio(theirs["wall"], floor["wall"])
    return {"floor": floor, "ratios": ratios}


def _line(name: str, client: str, m: dict[str, Any]) -> str:
    return (
        f"{name:>12} {client:<16} {m['wall']:8.2f} s  {m['requests']:6d} requests  "
        f"{m['rate_limited']:5d} 429s  {m['failures']:4d} failures  {m['cpu']:7.2f} s CPU  "
        f"{m['peak_rss_mb']:6.1f} MB" + ("  TIMED OUT" if m["timed_out"] else "")
    )


def scenario_result(scenario: Scenario, runs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Return one scenario's entry of the results."""
    return {"scenario": scenario.to_json(), "runs": runs, **summarize(scenario, runs)}


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
    results: dict[str, Any] = {"quick": quick, "machine": report.machine(), "scenarios": {}}
    for name in names:
        scenario = scenarios.get(name, quick=quick)
        runs = {c: measured[n, c] for n, c in measured if n == name}
        ordered = {c: runs[c] for c in clients_for(scenario, with_hcloud=with_hcloud)}
        results["scenarios"][name] = scenario_result(scenario, ordered)
    results["seconds"] = round(time.perf_counter() - started, 1)
    results["targets"] = report.targets(results)
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
    for line in report.targets_lines(results):
        _log(line)
    return 0
