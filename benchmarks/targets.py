"""Check the issue's targets against the results: met, missed, or not measurable."""

from __future__ import annotations

from typing import Any

__all__ = ["targets", "targets_lines", "times"]


def _target(scenario: str, target: str, value: Any, met: bool | None, shown: str) -> dict[str, Any]:
    return {"scenario": scenario, "target": target, "value": value, "met": met, "shown": shown}


def times(value: float | None) -> str:
    """Format a ratio as ``1.23x`` (``n/a`` when there is none)."""
    return "n/a" if value is None else f"{value:.2f}x"


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Check the issue's targets against the results; ``met`` is None when not measurable."""
    out: list[dict[str, Any]] = []
    sc = results["scenarios"]
    if "fleet-200" in sc:
        r = sc["fleet-200"]["ratios"]
        req, wall = r.get("hcloud_requests_over_ours"), r.get("hcloud_wall_over_ours")
        floor = r.get("ours_wall_over_floor")
        out += [
            _target(
                "fleet-200",
                ">= 3x fewer requests than hcloud",
                req,
                None if req is None else req >= 3,
                times(req),
            ),
            _target(
                "fleet-200",
                ">= 3x less wall time than hcloud",
                wall,
                None if wall is None else wall >= 3,
                times(wall),
            ),
            _target(
                "fleet-200",
                "wall <= 1.3x the floor",
                floor,
                None if floor is None else floor <= 1.3,
                times(floor),
            ),
        ]
    for tasks, faster in ((25, 1.15), (100, 4.0)):
        name = f"fleet-delete-{tasks}"
        if name in sc:
            out += _fleet_delete_targets(name, sc[name], faster)
    if "rate-limited" in sc:
        s = sc["rate-limited"]
        ours = s["runs"]["hetzner_async"]
        refill = s["scenario"]["refill"]
        lost = ours["failures"] + ours["unfinished"]
        out += [
            _target(
                "rate-limited",
                "zero failures",
                lost,
                lost == 0 and not ours["timed_out"],
                f"{ours['failures']} failed, {ours['unfinished']} unfinished",
            ),
            _target(
                "rate-limited",
                "zero duplicates",
                ours["duplicates"],
                ours["duplicates"] == 0,
                str(ours["duplicates"]),
            ),
        ]
        out.append(
            _target(
                "rate-limited",
                "zero 429s",
                ours["rate_limited"],
                ours["rate_limited"] == 0,
                str(ours["rate_limited"]),
            )
        )
        tp = ours.get("throughput")
        share: float | None = None if tp is None else float(tp["rate"]) / refill
        out.append(
            _target(
                "rate-limited",
                "throughput >= 90% of the refill rate",
                share,
                None if share is None else share >= 0.9,
                "bucket never ran dry"
                if tp is None
                else f"{tp['rate']:.2f}/s of {refill:g}/s = {100 * (share or 0):.0f}%",
            )
        )
    if "overhead" in sc:
        cpu = sc["overhead"]["ratios"].get("ours_cpu_per_request_over_floor")
        out.append(
            _target(
                "overhead",
                "CPU per request <= 1.5x bare aiohttp",
                cpu,
                None if cpu is None else cpu <= 1.5,
                times(cpu),
            )
        )
    if "scale-5k" in sc:
        s = sc["scale-5k"]
        ours = s["runs"]["hetzner_async"]
        complete = (
            ours["done"] == s["scenario"]["servers"]
            and ours["failures"] == 0
            and not ours["timed_out"]
        )
        out += [
            _target(
                "scale-5k",
                "completes",
                ours["done"],
                complete,
                f"{ours['done']} of {s['scenario']['servers']} in {ours['wall']:.1f} s",
            ),
            _target(
                "scale-5k",
                "peak RSS < 300 MB",
                ours["peak_rss_mb"],
                ours["peak_rss_mb"] < 300,
                f"{ours['peak_rss_mb']:.0f} MB",
            ),
        ]
    return out


def _fleet_delete_targets(name: str, s: dict[str, Any], faster: float) -> list[dict[str, Any]]:
    """The targets of a fleet-with-delete scenario: near the floor, ahead of hcloud, quick to see.

    ``faster`` is how much less wall time than hcloud at 25 threads this concurrency must take.
    """
    r = s["runs"]["hetzner_async"]
    ratios = s["ratios"]
    floor, wall, req = (
        ratios.get("ours_wall_over_floor"),
        ratios.get("hcloud_wall_over_ours"),
        ratios.get("hcloud_requests_over_ours"),
    )
    bound = 0.3 + s["scenario"]["latency"]
    seen = r.get("detection")
    p95 = None if seen is None else seen["p95"]
    threads = s["scenario"]["hcloud_threads"]
    return [
        _target(name, "wall <= 1.1x the floor", floor, _at_most(floor, 1.1), times(floor)),
        _target(
            name,
            f">= {faster:g}x less wall time than hcloud ({threads} threads)",
            wall,
            None if wall is None else wall >= faster,
            times(wall),
        ),
        _target(
            name,
            ">= 3x fewer requests than hcloud",
            req,
            None if req is None else req >= 3,
            times(req),
        ),
        _target(
            name,
            f"detection delay p95 < {bound:g} s (0.3 s + one request latency)",
            p95,
            _at_most(p95, bound),
            "n/a" if seen is None else f"p95 {seen['p95']:.3f} s (p50 {seen['p50']:.3f} s)",
        ),
        _target(
            name,
            "zero 429s, zero failures",
            r["rate_limited"] + r["failures"],
            r["rate_limited"] == 0 and r["failures"] == 0 and not r["timed_out"],
            f"{r['rate_limited']} 429s, {r['failures']} failures",
        ),
    ]


def _at_most(value: float | None, bound: float) -> bool | None:
    return None if value is None else value <= bound


def targets_lines(results: dict[str, Any]) -> list[str]:
    """Return one line per target."""
    verdict = {True: "met", False: "MISSED", None: "n/a"}
    return [
        f"{t['scenario']:>12}  {verdict[t['met']]:<6}  {t['target']}: {t['shown']}"
        for t in results["targets"]
    ]
