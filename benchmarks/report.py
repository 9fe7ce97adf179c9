"""Write the results: the JSON, the Markdown table (also into the README) and the chart."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .chart import chart
from .machine import machine_line
from .targets import times

__all__ = ["markdown", "update_readme", "write"]

README_START = "<!-- results:start -->"
README_END = "<!-- results:end -->"


def _num(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _vs_hcloud(ratios: dict[str, Any]) -> str:
    wall, req = ratios.get("hcloud_wall_over_ours"), ratios.get("hcloud_requests_over_ours")
    if wall is None:
        return "-"
    return f"{times(wall)} wall, {times(req)} requests"


def _vs_floor(name: str, run: dict[str, Any], floor: dict[str, Any], client: str) -> str:
    parts = []
    if floor.get("wall"):
        parts.append(f"wall {times(run['wall'] / floor['wall'])}")
    if floor.get("cpu_ms_per_request") and run.get("cpu_ms_per_request"):
        parts.append(f"CPU/req {times(run['cpu_ms_per_request'] / floor['cpu_ms_per_request'])}")
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
