"""The fake Hetzner Cloud for one scenario, in its own process.

``python -m benchmarks.fake_server --scenario fleet-200 [--scenario ...] [--quick]`` serves a fake
configured for each scenario on a free loopback port and prints one JSON line per scenario,
``{"scenario", "url", "base_url", "token"}``.
Besides the fake's own ``/_fake`` admin endpoints it serves two for the runner (outside ``/v1``:
no token, not counted, not rate-limited):

- ``POST /_bench/prepare``: empty the project, store the scenario's seed servers, then forget
  counters, buckets and the timeline, so the client starts on a full bucket and a zero count.
- ``GET /_bench/seeded``: the IDs of the seed servers.
- ``GET /_bench/report``: the fake's counters, creates and duplicates, the timeline of every
  ``/v1`` response (seconds since the first, status, ``RateLimit-Remaining``), and when each
  action ended (``time.monotonic()``, the same clock in every process of the machine).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import copy
import json
import signal
import sys
import time
from collections import Counter
from typing import Any

import aiohttp
from aiohttp import web

from hetzner_async.testing import FakeConfig, FakeHetznerCloud, ResponseRecord

from . import scenarios
from .scenarios import IMAGE, LOCATION, SERVER_TYPE, Scenario

__all__ = ["BenchFake", "main"]


class Timeline:
    """Every ``/v1`` response: when, which route, which status, what budget was left."""

    def __init__(self) -> None:
        self.rows: list[tuple[float, str, str, int, int, str | None]] = []

    def __call__(self, record: ResponseRecord) -> None:
        """Record one response (the fake's ``on_response`` hook)."""
        remaining = record.headers.get("RateLimit-Remaining")
        code = None
        if record.status >= 400 and isinstance(record.body, dict):
            error = record.body.get("error")
            code = error.get("code") if isinstance(error, dict) else None
        self.rows.append(
            (
                time.monotonic(),
                record.method,
                record.template or "",
                record.status,
                -1 if remaining is None else int(remaining),
                code,
            )
        )

    def clear(self) -> None:
        """Forget every row."""
        self.rows.clear()

    def to_json(self) -> dict[str, Any]:
        """Return the rows as columns, times relative to the first response."""
        start = self.rows[0][0] if self.rows else 0.0
        return {
            "t": [round(r[0] - start, 4) for r in self.rows],
            "method": [r[1] for r in self.rows],
            "path": [r[2] for r in self.rows],
            "status": [r[3] for r in self.rows],
            "remaining": [r[4] for r in self.rows],
            "code": [r[5] for r in self.rows],
        }


class BenchFake:
    """A ``FakeHetznerCloud`` with the scenario's settings, seed data and a timeline."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.timeline = Timeline()
        config = FakeConfig(
            token="bench-token",
            action_duration=scenario.action_duration,
            action_durations=scenario.action_durations,
            rate_limit=scenario.rate_limit,
            rate_limit_refill=scenario.refill,
            latency=scenario.latency,
            on_response=self.timeline,
        )
        self.fake = FakeHetznerCloud(config)
        self.fake.app.add_routes(
            [
                web.post("/_bench/prepare", self.prepare),
                web.get("/_bench/seeded", self.seeded_ids),
                web.get("/_bench/report", self.report),
            ]
        )
        self.seeded: list[int] = []
        #: When each action ends, on the machine's monotonic clock (every process reads the same).
        self.action_ends: dict[int, float] = {}
        self._watch_actions()

    def _watch_actions(self) -> None:
        """Note each action's end as the fake's engine schedules it."""
        engine = self.fake.state.engine
        start = engine.start

        def noted(*args: Any, **kwargs: Any) -> Any:
            action = start(*args, **kwargs)
            run = engine.runs.get(action["id"])
            if run is not None:
                self.action_ends[action["id"]] = run.end
            return action

        engine.start = noted  # type: ignore[method-assign]

    async def seed(self, count: int) -> None:
        """Store ``count`` running servers, labelled ``parity=even|odd`` and ``index=<i>``.

        One server is created through the API; the rest are copies of it, stored directly, so
        that 10,000 servers take a fraction of a second instead of 10,000 requests.
        """
        headers = {"Authorization": f"Bearer {self.fake.token}"}
        body = {"name": "seed-0", "server_type": SERVER_TYPE, "image": IMAGE, "location": LOCATION}
        async with (
            aiohttp.ClientSession() as session,
            session.post(f"{self.fake.url}/servers", json=body, headers=headers) as response,
        ):
            response.raise_for_status()
            template = (await response.json())["server"]
        state = self.fake.state
        template.update(status="running", locked=False)
        state.servers.clear()
        self.seeded = []
        for index in range(count):
            server = copy.deepcopy(template)
            sid = template["id"] if index == 0 else state.next_id("server")
            server.update(
                id=sid,
                name=f"seed-{index}",
                labels={"parity": "even" if index % 2 == 0 else "odd", "index": str(index)},
            )
            state.servers[sid] = server
            self.seeded.append(sid)
        state.dirty = True

    async def prepare(self, request: web.Request) -> web.Response:
        """POST /_bench/prepare: a fresh project with the seed servers, zero counters."""
        self.fake.reset()
        self.action_ends.clear()
        self._watch_actions()
        if self.scenario.seed_servers:
            await self.seed(self.scenario.seed_servers)
        self.fake.stats.clear()
        self.fake.backend.limiter.reset()
        self.timeline.clear()
        return web.json_response({"server_ids": self.seeded})

    async def seeded_ids(self, request: web.Request) -> web.Response:
        """GET /_bench/seeded: the IDs of the seed servers."""
        return web.json_response({"server_ids": self.seeded})

    async def report(self, request: web.Request) -> web.Response:
        """GET /_bench/report: counters, duplicates and the timeline."""
        stats = self.fake.stats
        posts = Counter(
            (status, code)
            for _, method, path, status, _, code in self.timeline.rows
            if method == "POST" and path == "/servers"
        )
        created = sum(n for (status, _), n in posts.items() if status == 201)
        refused_duplicates = sum(n for (_, code), n in posts.items() if code == "uniqueness_error")
        names = Counter(s["name"] for s in self.fake.sync().servers.values())
        return web.json_response(
            {
                "total": stats.total,
                "rate_limited": stats.rate_limited,
                "by_route": stats.to_json()["requests"],
                "servers_created": created,
                "refused_duplicate_creates": refused_duplicates,
                "servers_left": len(self.fake.state.servers),
                "duplicate_names_left": sum(n - 1 for n in names.values() if n > 1),
                "internal_errors": [repr(e) for e in self.fake.internal_errors],
                "timeline": self.timeline.to_json(),
                "action_ends": {str(k): v for k, v in self.action_ends.items()},
            },
            dumps=lambda obj: json.dumps(obj, separators=(",", ":")),
        )


async def serve(items: list[Scenario]) -> None:
    """Serve one fake per scenario until SIGTERM or SIGINT; print one JSON line for each."""
    benches = [BenchFake(scenario) for scenario in items]
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with contextlib.AsyncExitStack() as stack:
        for bench in benches:
            fake = await stack.enter_async_context(bench.fake)
            line = {
                "scenario": bench.scenario.name,
                "url": fake.url,
                "base_url": fake.base_url,
                "token": fake.token,
            }
            print(json.dumps(line), flush=True)
        await stop.wait()


def main(argv: list[str] | None = None) -> int:
    """Run the fakes of one or more scenarios."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.fake_server")
    parser.add_argument("--scenario", required=True, action="append", choices=scenarios.NAMES)
    parser.add_argument("--quick", action="store_true", help="the smoke size")
    args = parser.parse_args(argv)
    asyncio.run(serve([scenarios.get(name, quick=args.quick) for name in args.scenario]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
