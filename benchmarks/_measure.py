"""What every client process shares: its command line, its measurements and its report line.

A client process runs one scenario against one fake and prints one JSON line on stdout. Wall
time and CPU seconds (user + system, all threads) cover the scenario only, not the imports;
peak RSS is the process's high-water mark.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
import urllib.request
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from . import scenarios
from .scenarios import Scenario

__all__ = ["ClientArgs", "Measure", "Tally", "emit", "parse_client_args", "seeded_ids"]


@dataclass(frozen=True)
class ClientArgs:
    """Where the fake is and what to run."""

    scenario: Scenario
    url: str
    base_url: str
    token: str


def parse_client_args(prog: str, argv: Sequence[str] | None = None) -> ClientArgs:
    """Parse a client's command line."""
    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument("--scenario", required=True, choices=scenarios.NAMES)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--url", required=True, help="the fake's API endpoint (loopback)")
    parser.add_argument("--base-url", required=True, help="the fake's admin base URL")
    parser.add_argument("--token", required=True)
    args = parser.parse_args(argv)
    if not args.url.startswith(("http://127.0.0.1:", "http://localhost:")):
        parser.error("benchmarks only ever talk to a fake on loopback")
    return ClientArgs(
        scenarios.get(args.scenario, quick=args.quick), args.url, args.base_url, args.token
    )


def seeded_ids(base_url: str) -> list[int]:
    """Return the IDs of the servers the fake was seeded with (an admin call, not counted)."""
    with urllib.request.urlopen(f"{base_url}/_bench/seeded", timeout=60) as response:
        return list(json.load(response)["server_ids"])


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _peak_rss_mb() -> float:
    # Linux reports ru_maxrss in KiB.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class Tally:
    """Servers done and failures, by error type."""

    done: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    samples: dict[str, str] = field(default_factory=dict)
    #: When a wait for actions returned (``time.monotonic()``), and for which actions.
    wakes: list[tuple[float, list[int]]] = field(default_factory=list)

    def woke(self, action_ids: Sequence[int]) -> None:
        """Note that a wait for these actions has just returned to its caller."""
        self.wakes.append((time.monotonic(), list(action_ids)))

    def fail(self, error: BaseException) -> None:
        """Count one failed server (or request) and keep one message per error type."""
        kind = type(error).__name__
        self.errors[kind] += 1
        self.samples.setdefault(kind, str(error)[:200])

    @property
    def failures(self) -> int:
        """Return the number of failures."""
        return sum(self.errors.values())


class Measure:
    """Wall time, CPU seconds and peak RSS of the block it wraps."""

    def __init__(self) -> None:
        self.rss_before_mb = _peak_rss_mb()
        self._wall = time.perf_counter()
        self._cpu = _cpu()
        self.wall = 0.0
        self.cpu = 0.0

    def stop(self) -> None:
        """End the measurement."""
        self.wall = time.perf_counter() - self._wall
        self.cpu = _cpu() - self._cpu

    def result(self, tally: Tally, *, timed_out: bool, **extra: Any) -> dict[str, Any]:
        """Return the report of this client run."""
        return {
            "wall": round(self.wall, 4),
            "cpu": round(self.cpu, 4),
            "peak_rss_mb": round(_peak_rss_mb(), 1),
            "rss_before_mb": round(self.rss_before_mb, 1),
            "done": tally.done,
            "failures": tally.failures,
            "errors": dict(tally.errors),
            "error_samples": tally.samples,
            "timed_out": timed_out,
            "wakes": tally.wakes,
            **extra,
        }


def emit(result: dict[str, Any]) -> None:
    """Print the report line (the runner reads the last line of stdout)."""
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
