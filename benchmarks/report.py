"""Turn the results into the targets verdict, a Markdown table and a PNG chart."""

from __future__ import annotations

import importlib.metadata
import json
import os
import platform
import re
from itertools import accumulate
from pathlib import Path
from typing import Any

__all__ = ["chart", "machine", "markdown", "targets", "targets_lines", "update_readme", "write"]

README_START = "<!-- results:start -->"
README_END = "<!-- results:end -->"


def _version(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def machine() -> dict[str, Any]:
    """Describe the machine and the software the run used."""
    cpu = platform.processor() or platform.machine()
    memory_gb = None
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(
                (line.split(":", 1)[1].strip() for line in info if line.startswith("model name")),
                cpu,
            )
        with open("/proc/meminfo") as info:
            kib = int(next(line for line in info if line.startswith("MemTotal")).split()[1])
            memory_gb = round(kib / 1024 / 1024, 1)
    except (OSError, StopIteration, ValueError):
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": memory_gb,
        "os": platform.platform(),
        "python": platform.python_version(),
        "versions": {
            p: _version(p) for p in ("hetzner-async", "aiohttp", "hcloud", "requests", "matplotlib")
        },
    }


def machine_line(info: dict[str, Any]) -> str:
    """Return the machine as one sentence."""
    versions = ", ".join(f"{k} {v}" for k, v in info["versions"].items() if v)
    memory = f", {info['memory_gb']} GB RAM" if info.get("memory_gb") else ""
    return (
        f"{info['cpu']}, {info['cores']} cores{memory}, {info['os']}, "
        f"Python {info['python']}; {versions}"
    )


# --- targets ------------------------------------------------------------------------------------


def _target(scenario: str, target: str, value: Any, met: bool | None, shown: str) -> dict[str, Any]:
    return {"scenario": scenario, "target": target, "value": value, "met": met, "shown": shown}


def _x(value: float | None) -> str:
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
                _x(req),
            ),
            _target(
                "fleet-200",
                ">= 3x less wall time than hcloud",
                wall,
                None if wall is None else wall >= 3,
                _x(wall),
            ),
            _target(
                "fleet-200",
                "wall <= 1.3x the floor",
                floor,
                None if floor is None else floor <= 1.3,
                _x(floor),
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
                _x(cpu),
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
        _target(name, "wall <= 1.1x the floor", floor, _at_most(floor, 1.1), _x(floor)),
        _target(
            name,
            f">= {faster:g}x less wall time than hcloud ({threads} threads)",
            wall,
            None if wall is None else wall >= faster,
            _x(wall),
        ),
        _target(
            name,
            ">= 3x fewer requests than hcloud",
            req,
            None if req is None else req >= 3,
            _x(req),
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


# --- Markdown -----------------------------------------------------------------------------------


def _num(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _vs_hcloud(ratios: dict[str, Any]) -> str:
    wall, req = ratios.get("hcloud_wall_over_ours"), ratios.get("hcloud_requests_over_ours")
    if wall is None:
        return "-"
    return f"{_x(wall)} wall, {_x(req)} requests"


def _vs_floor(name: str, run: dict[str, Any], floor: dict[str, Any], client: str) -> str:
    parts = []
    if floor.get("wall"):
        parts.append(f"wall {_x(run['wall'] / floor['wall'])}")
    if floor.get("cpu_ms_per_request") and run.get("cpu_ms_per_request"):
        parts.append(f"CPU/req {_x(run['cpu_ms_per_request'] / floor['cpu_ms_per_request'])}")
    return ", ".join(parts) or "-"


def markdown(results: dict[str, Any]) -> str:
    """Return the results table, the targets and the machine, as Markdown."""
    lines = [
        "| scenario | client | wall s | requests | req/server | 429s | failures | duplicates "
        "| CPU s | CPU ms/req | peak RSS MB | hcloud needs | vs floor |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|---|",
    ]
    for name, s in results["scenarios"].items():
        floor = s["floor"]
        for client, run in s["runs"].items():
            if client == "aiohttp (floor)":
                continue
            failures = str(run["failures"])
            if run["unfinished"]:
                failures += f" (+{run['unfinished']} unfinished)"
            wall = _num(run["wall"]) + (" (cap)" if run["timed_out"] else "")
            lines.append(
                f"| {name} | {client} | {wall} | {run['requests']:,} | "
                f"{_num(run['requests_per_server'])} | {run['rate_limited']:,} | {failures} | "
                f"{run['duplicates']} | {_num(run['cpu'])} | {_num(run['cpu_ms_per_request'], 3)} "
                f"| {_num(run['peak_rss_mb'], 0)} | "
                f"{_vs_hcloud(s['ratios']) if client == 'hetzner_async' else '-'} | "
                f"{_vs_floor(name, run, floor, client)} |"
            )
        measured = s["runs"].get("aiohttp (floor)")
        if measured is not None:
            lines.append(
                f"| {name} | floor: bare aiohttp | {_num(measured['wall'])} | "
                f"{measured['requests']:,} | {_num(measured['requests_per_server'])} | "
                f"{measured['rate_limited']} | {measured['failures']} | - | "
                f"{_num(measured['cpu'])} | {_num(measured['cpu_ms_per_request'], 3)} | "
                f"{_num(measured['peak_rss_mb'], 0)} | - | - |"
            )
        elif floor.get("wall") is not None:
            lines.append(
                f"| {name} | floor: the API | {_num(floor['wall'])} | {floor['requests']:,} | "
                f"{_num(floor['requests'] / s['scenario']['servers'])} | - | - | - | - | - | - "
                f"| - | {floor['how']} |"
            )
    lines += _detection_table(results)
    verdict = {True: "met", False: "**missed**", None: "not measured"}
    lines += ["", "| scenario | target | result | verdict |", "|---|---|---|---|"]
    lines += [
        f"| {t['scenario']} | {t['target']} | {t['shown']} | {verdict[t['met']]} |"
        for t in results["targets"]
    ]
    size = "smoke size (`--quick`)" if results["quick"] else "full size"
    lines += [
        "",
        f"Ran at {size} in {results['seconds']:.0f} s on: {machine_line(results['machine'])}.",
    ]
    return "\n".join(lines) + "\n"


def _detection_table(results: dict[str, Any]) -> list[str]:
    """Return the detection delays (action finished -> caller woken) as a Markdown table."""
    rows = [
        f"| {name} | {client} | {d['waits']:,} | {1000 * d['p50']:.0f} | {1000 * d['p95']:.0f} "
        f"| {1000 * d['max']:.0f} |"
        for name, s in results["scenarios"].items()
        for client, run in s["runs"].items()
        if (d := run.get("detection")) is not None and name.startswith("fleet-delete")
    ]
    if not rows:
        return []
    return [
        "",
        "Detection delay: from the moment the fake ends an action (the last one, for a create and "
        "its start) to the moment the waiting caller is woken, both on the machine's monotonic "
        "clock.",
        "",
        "| scenario | client | waits | p50 ms | p95 ms | max ms |",
        "|---|---|--:|--:|--:|--:|",
        *rows,
    ]


# --- chart --------------------------------------------------------------------------------------

_COLOURS = {"hetzner_async": "tab:blue", "hcloud": "tab:orange", "aiohttp (floor)": "tab:gray"}
_CHARTED = ("fleet-delete-25", "fleet-delete-100", "fleet-200", "rate-limited", "scale-5k")


def chart(results: dict[str, Any], path: Path) -> bool:
    """Draw requests sent and the rate-limit budget over time; False without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    names = [n for n in _CHARTED if n in results["scenarios"]]
    if not names:
        return False
    fig, axes = plt.subplots(len(names), 2, figsize=(12, 3.4 * len(names)), squeeze=False)
    for row, name in enumerate(names):
        s = results["scenarios"][name]
        sent, budget = axes[row]
        for client, run in s["runs"].items():
            bins = run["timeline"]
            colour = _COLOURS.get(client)
            label = client + (" (stopped at cap)" if run["timed_out"] else "")
            sent.plot(bins["t"], list(accumulate(bins["requests"])), label=label, color=colour)
            if any(bins["throttled"]):
                sent.plot(
                    bins["t"],
                    list(accumulate(bins["throttled"])),
                    linestyle=":",
                    color=colour,
                    label=f"{client}: 429s",
                )
            points = [
                (t, r)
                for t, r in zip(bins["t"], bins["remaining_min"], strict=True)
                if r is not None
            ]
            if points:
                budget.plot(*zip(*points, strict=True), label=client, color=colour)
        sent.set_title(f"{name}: requests sent (cumulative)")
        sent.set_xlabel("seconds")
        sent.legend(fontsize="small")
        budget.set_title(f"{name}: RateLimit-Remaining")
        budget.set_xlabel("seconds")
        if s["scenario"]["rate_limit"] is None:
            budget.text(
                0.5, 0.5, "no rate limit", ha="center", va="center", transform=budget.transAxes
            )
        else:
            budget.set_ylim(bottom=0)
            budget.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


# --- files --------------------------------------------------------------------------------------


def write(results: dict[str, Any], out: Path) -> list[Path]:
    """Write ``results.json``, ``results.md`` and, with matplotlib, ``chart.png``."""
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "results.json", out / "results.md"]
    paths[0].write_text(json.dumps(results, indent=1) + "\n")
    paths[1].write_text(markdown(results))
    if chart(results, out / "chart.png"):
        paths.append(out / "chart.png")
    return paths


def update_readme(results: dict[str, Any], readme: Path) -> None:
    """Replace the results section of the benchmarks README with this run's table."""
    text = readme.read_text()
    block = f"{README_START}\n{markdown(results)}{README_END}"
    pattern = re.compile(re.escape(README_START) + ".*?" + re.escape(README_END), re.S)
    if pattern.search(text):
        readme.write_text(pattern.sub(lambda _: block, text))
