"""The scenarios with ``hetzner_async``, as a user would write them, with the SDK's defaults.

``python -m benchmarks.client_async --scenario fleet-200 --url ... --base-url ... --token ...``
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from hetzner_async import HetznerClient
from hetzner_async.errors import HetznerError
from hetzner_async.models import Action, FirewallRule

from ._measure import ClientArgs, Measure, Tally, emit, parse_client_args, seeded_ids
from .scenarios import IMAGE, LOCATION, PUBLIC_KEY, SERVER_TYPE, Scenario

__all__ = ["main"]

Job = Callable[[HetznerClient, Scenario, Tally, list[int]], Awaitable[None]]


async def _each(tally: Tally, jobs: Sequence[Awaitable[object]]) -> None:
    """Run the jobs concurrently; count each one done or failed."""

    async def one(job: Awaitable[object]) -> None:
        try:
            await job
        except HetznerError as error:
            tally.fail(error)
        else:
            tally.done += 1

    await asyncio.gather(*(one(job) for job in jobs))


async def fleet(hz: HetznerClient, scenario: Scenario, tally: Tally, ids: list[int]) -> None:
    """Create servers with an ssh key and a firewall, wait, delete them, wait."""
    key, created = await asyncio.gather(
        hz.ssh_keys.create(name="bench", public_key=PUBLIC_KEY),
        hz.firewalls.create(
            name="bench",
            rules=[
                FirewallRule(
                    direction="in", protocol="tcp", port="443", source_ips=["0.0.0.0/0", "::/0"]
                )
            ],
        ),
    )
    firewall = created.firewall

    async def lifecycle(i: int) -> None:
        res = await hz.servers.create(
            name=f"fleet-{i}",
            ssh_keys=[key.id],
            firewalls=[firewall.id],
            labels={"bench": "fleet"},
            server_type=SERVER_TYPE,
            image=IMAGE,
            location=LOCATION,
        )
        await hz.actions.wait(res.action, *res.next_actions)
        await hz.actions.wait(await hz.servers.delete(res.server.id))

    await _each(tally, [lifecycle(i) for i in range(scenario.servers)])


async def fleet_delete(hz: HetznerClient, scenario: Scenario, tally: Tally, ids: list[int]) -> None:
    """Create, start, delete and wait for servers, ``scenario.tasks`` at a time (closed loop)."""
    todo = iter(range(scenario.servers))

    async def wait(*actions: Action) -> None:
        await hz.actions.wait(*actions)
        tally.woke([action.id for action in actions])

    async def worker() -> None:
        for i in todo:  # shared: each worker takes the next server when done with one
            try:
                res = await hz.servers.create(
                    name=f"fd-{i}", server_type=SERVER_TYPE, image=IMAGE, location=LOCATION
                )
                await wait(res.action, *res.next_actions)
                await wait(await hz.servers.delete(res.server.id))
            except HetznerError as error:
                tally.fail(error)
            else:
                tally.done += 1

    await asyncio.gather(*(worker() for _ in range(scenario.tasks or scenario.servers)))


async def rate_limited(hz: HetznerClient, scenario: Scenario, tally: Tally, ids: list[int]) -> None:
    """Create servers and wait until they run."""

    async def create(i: int) -> None:
        res = await hz.servers.create(
            name=f"rl-{i}", server_type=SERVER_TYPE, image=IMAGE, location=LOCATION
        )
        await hz.actions.wait(res.action, *res.next_actions)

    await _each(tally, [create(i) for i in range(scenario.servers)])


async def list_servers(hz: HetznerClient, scenario: Scenario, tally: Tally, ids: list[int]) -> None:
    """List the servers a label selector matches."""
    servers = await hz.servers.list(label_selector=scenario.extra["label_selector"])
    tally.done = len(servers)


async def scale(hz: HetznerClient, scenario: Scenario, tally: Tally, ids: list[int]) -> None:
    """Create servers with ``create_and_wait``, all at once."""
    jobs = [
        hz.servers.create_and_wait(
            name=f"s-{i}", server_type=SERVER_TYPE, image=IMAGE, location=LOCATION
        )
        for i in range(scenario.servers)
    ]
    await _each(tally, jobs)


async def overhead(hz: HetznerClient, scenario: Scenario, tally: Tally, ids: list[int]) -> None:
    """GET one server at a time, all at once."""
    await _each(tally, [hz.servers.get(ids[i % len(ids)]) for i in range(scenario.servers)])


JOBS: dict[str, Job] = {
    "fleet-200": fleet,
    "fleet-delete-25": fleet_delete,
    "fleet-delete-100": fleet_delete,
    "rate-limited": rate_limited,
    "list-10k": list_servers,
    "scale-5k": scale,
    "overhead": overhead,
}


async def run(args: ClientArgs) -> dict[str, Any]:
    """Run one scenario and return its report."""
    scenario = args.scenario
    ids = seeded_ids(args.base_url) if scenario.seed_servers else []
    tally = Tally()
    timed_out = False
    async with HetznerClient(args.token, endpoint=args.url) as hz:
        measure = Measure()
        try:
            async with asyncio.timeout(scenario.time_cap):
                await JOBS[scenario.name](hz, scenario, tally, ids)
        except TimeoutError:
            timed_out = True
        measure.stop()
        governor = hz._transport.governor
        extra = {
            "rate_limit_waits": governor.waits,
            "rate_limit_waited_s": round(governor.waited, 3),
            "throttled_seen": governor.throttled,
        }
    return measure.result(tally, timed_out=timed_out, **extra)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one scenario with hetzner_async and print its report."""
    args = parse_client_args("python -m benchmarks.client_async", argv)
    emit(asyncio.run(run(args)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
