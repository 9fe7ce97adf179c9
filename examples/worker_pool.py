"""A bounded pool of workers, in an ``asyncio.TaskGroup``, that work through a queue of servers.

Run it with ``python examples/worker_pool.py [--jobs 12] [--workers 4]``: it starts the fake
Hetzner Cloud in this process, so it needs no token and creates nothing billable.

What it shows: a fixed number of workers take jobs from an ``asyncio.Queue`` until it is empty,
so at most ``--workers`` servers are being created at any time, however many jobs there are.
All workers share one ``HetznerClient``: one connection pool, one rate-limit budget, one action
poller. If a job fails, the ``TaskGroup`` cancels the other workers and raises an
``ExceptionGroup``; the ``finally`` then deletes every server of this batch by its label, so a
failure leaves nothing billable behind. To use it on your project, pass ``provision_batch`` a
``HetznerClient()`` of your own.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
from collections.abc import Sequence

from hetzner_async import HetznerClient, PollPolicy
from hetzner_async.errors import HetznerError
from hetzner_async.models import Server
from hetzner_async.testing import FakeConfig, FakeHetznerCloud


async def provision_batch(
    hz: HetznerClient, names: Sequence[str], *, workers: int, labels: dict[str, str]
) -> list[Server]:
    """Create a running server for every name, ``workers`` at a time; return them in order."""
    queue: asyncio.Queue[str] = asyncio.Queue()
    for name in names:
        queue.put_nowait(name)
    done: dict[str, Server] = {}

    async def worker(number: int) -> None:
        while True:
            try:
                name = queue.get_nowait()
            except asyncio.QueueEmpty:
                return  # no more jobs: this worker is finished
            server = await hz.servers.create_and_wait(
                name=name, server_type="cx22", image="debian-12", location="fsn1", labels=labels
            )
            done[name] = server
            print(f"worker {number}: {server.name} is {server.status} at {ipv4(server)}")

    async with asyncio.TaskGroup() as group:
        for number in range(1, min(workers, len(names)) + 1):
            group.create_task(worker(number))
    return [done[name] for name in names]


def ipv4(server: Server) -> str:
    """Return the server's public IPv4 address, or a dash."""
    ip = server.public_net.ipv4
    return ip.ip if ip is not None else "-"


async def run(hz: HetznerClient, *, jobs: int, workers: int) -> list[Server]:
    """Provision one batch, then delete it; on failure, delete what was made and re-raise."""
    batch = secrets.token_hex(3)
    labels = {"batch": batch}
    try:
        servers = await provision_batch(
            hz, [f"job-{batch}-{n}" for n in range(1, jobs + 1)], workers=workers, labels=labels
        )
        print(f"{len(servers)} servers running, created by {workers} workers")
        return servers
    finally:
        await delete_batch(hz, labels)


async def delete_batch(hz: HetznerClient, labels: dict[str, str]) -> None:
    """Delete every server with these labels, waiting out those still locked by their create.

    A worker cancelled mid-create leaves a server whose create action still runs; the API
    refuses to delete it (``locked``) until that action ends, so try again a little later.
    """
    deleted = 0
    for _ in range(100):
        report = await hz.servers.deprovision(labels)
        deleted += len(report.deleted)
        if not report.failed:
            break
        await asyncio.sleep(0.2)
    print(f"deleted {deleted} servers labelled {labels}")


async def main(
    argv: Sequence[str] | None = None, *, config: FakeConfig | None = None
) -> list[Server]:
    """Run the example against a fake started here (``config`` tunes it)."""
    parser = argparse.ArgumentParser(description="A bounded worker pool creating servers.")
    parser.add_argument("--jobs", type=int, default=12, help="servers to create (12)")
    parser.add_argument("--workers", type=int, default=4, help="servers in flight at once (4)")
    args = parser.parse_args(argv)
    config = config or FakeConfig(action_duration=0.5, latency=0.02)
    poll = PollPolicy(initial=min(0.5, config.action_duration / 2 or 0.01))
    async with (
        FakeHetznerCloud(config) as fake,
        HetznerClient(fake.token, endpoint=fake.url, poll=poll) as hz,
    ):
        try:
            return await run(hz, jobs=args.jobs, workers=args.workers)
        except* HetznerError as group:
            for error in group.exceptions:
                print(f"a job failed: {error}")
            raise


if __name__ == "__main__":
    asyncio.run(main())
