"""Start the fakes, and run one client against one, each in a process of its own."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from .scenarios import Scenario

__all__ = ["CLIENTS", "fake_process", "run_client"]

#: The folder the processes start in: the repository root, where ``benchmarks`` imports.
CWD = Path(__file__).resolve().parent.parent
#: Client name -> the module that runs it.
CLIENTS = {
    "hetzner_async": "benchmarks.client_async",
    "hcloud": "benchmarks.client_hcloud",
    "aiohttp (floor)": "benchmarks.client_floor",
}


@contextlib.contextmanager
def fake_process(names: Sequence[str], quick: bool) -> Iterator[list[dict[str, str]]]:
    """Start one fake per name, all in one process of their own; yield their URLs in order."""
    command = [sys.executable, "-m", "benchmarks.fake_server"]
    for name in names:
        command += ["--scenario", name]
    if quick:
        command.append("--quick")
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=CWD)
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
        cwd=CWD,
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
