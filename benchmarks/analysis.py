"""Turn one client's run into its numbers, and a scenario's runs into their ratios."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from .scenarios import Scenario

__all__ = ["detection", "metrics", "scenario_result", "summarize"]


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


def scenario_result(scenario: Scenario, runs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Return one scenario's entry of the results."""
    return {"scenario": scenario.to_json(), "runs": runs, **summarize(scenario, runs)}
