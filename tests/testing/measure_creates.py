"""Measure the fake's server creates per second with many servers stored (not a test).

    .venv/bin/python -m tests.testing.measure_creates [stored] [creates]

Stores ``stored`` servers (half of them matched by a label-selector firewall), then creates
``creates`` more over loopback, one at a time, three rounds; prints the best round in creates
per second of wall time and per second of this process's CPU time (client and fake together:
less sensitive to other load on the machine).
"""

from __future__ import annotations

import asyncio
import copy
import sys
import time

import aiohttp

from hetzner_async.testing import FakeConfig, FakeHetznerCloud


async def measure(stored: int, creates: int) -> tuple[float, float]:
    """Return the best (wall, CPU) creates per second of three rounds."""
    async with (
        FakeHetznerCloud(FakeConfig(rate_limit=None, action_duration=0.5)) as fake,
        aiohttp.ClientSession(headers={"Authorization": f"Bearer {fake.token}"}) as session,
    ):
        body = {"name": "seed-0", "server_type": "cx22", "image": "debian-12"}
        async with session.post(f"{fake.url}/servers", json=body) as response:
            template = (await response.json())["server"]
        selector = {"type": "label_selector", "label_selector": {"selector": "parity=even"}}
        async with session.post(
            f"{fake.url}/firewalls", json={"name": "fw", "apply_to": [selector]}
        ):
            pass
        state = fake.state
        template.update(status="running", locked=False)
        for index in range(1, stored):
            server = copy.deepcopy(template)
            server.update(
                id=state.next_id("server"),
                name=f"seed-{index}",
                labels={"parity": "even" if index % 2 == 0 else "odd"},
            )
            state.servers[server["id"]] = server
        state.dirty = True
        async with session.get(f"{fake.url}/servers", params={"per_page": "1"}) as response:
            await response.read()
        best_wall = best_cpu = 0.0
        for round_ in range(3):
            wall, cpu = time.perf_counter(), time.process_time()
            for index in range(creates):
                body = {
                    "name": f"new-{round_}-{index}",
                    "server_type": "cx22",
                    "image": "debian-12",
                }
                async with session.post(f"{fake.url}/servers", json=body) as response:
                    assert response.status == 201, await response.text()
                    await response.read()
            best_wall = max(best_wall, creates / (time.perf_counter() - wall))
            best_cpu = max(best_cpu, creates / (time.process_time() - cpu))
        return best_wall, best_cpu


def main() -> None:
    """Print the measurement."""
    stored = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    creates = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    wall, cpu = asyncio.run(measure(stored, creates))
    print(f"{stored} stored: {wall:.0f} creates/s (wall), {cpu:.0f} creates per CPU-second")


if __name__ == "__main__":
    main()
