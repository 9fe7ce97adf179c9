"""Lend the SDK your application's own ``aiohttp.ClientSession``.

Run it with ``python examples/borrowed_session.py``: it starts the fake Hetzner Cloud in this
process, so it needs no token.

What it shows: an application that already has a session (with its own connection limits,
timeouts and tracing) passes it as ``HetznerClient(session=...)``. The SDK's requests then go
through that session, so the application's ``TraceConfig`` sees them, and the client never closes
it: the session stays usable after ``async with HetznerClient(...)`` ends. The SDK's own
``connect_timeout``/``read_timeout`` go with each of its requests, so they apply on a borrowed
session too; the session's timeouts keep governing the application's other requests.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from types import SimpleNamespace

import aiohttp

from hetzner_async import HetznerClient
from hetzner_async.testing import FakeConfig, FakeHetznerCloud


def request_counter(seen: Counter[str]) -> aiohttp.TraceConfig:
    """Return a trace config that counts every request the session sends, by method and host."""

    async def on_request_start(
        session: aiohttp.ClientSession,
        context: SimpleNamespace,
        params: aiohttp.TraceRequestStartParams,
    ) -> None:
        seen[f"{params.method} {params.url.host}:{params.url.port}"] += 1

    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(on_request_start)
    return trace


async def use_shared_session(endpoint: str, token: str, admin_url: str) -> Counter[str]:
    """Open one application session, lend it to the SDK, and keep using it afterwards."""
    seen: Counter[str] = Counter()
    session = aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(total=None, sock_connect=10, sock_read=60),
        connector=aiohttp.TCPConnector(limit=64),
        trace_configs=[request_counter(seen)],
    )
    async with session:
        async with HetznerClient(token, endpoint=endpoint, session=session) as hz:
            keys = await hz.ssh_keys.list()
            print(f"the project has {len(keys)} SSH keys")
            await hz.servers.list(label_selector="role=web")
        # The client has ended; the application's session is still open and usable.
        assert not session.closed
        async with session.get(admin_url) as response:
            stats = await response.json()
        print(f"the fake served {stats['total']} API requests")
        print(f"the application's session sent: {dict(seen)}")
    return seen


async def main(config: FakeConfig | None = None) -> Counter[str]:
    """Run the example against a fake started here."""
    async with FakeHetznerCloud(config or FakeConfig(latency=0.02)) as fake:
        return await use_shared_session(fake.url, fake.token, f"{fake.base_url}/_fake/stats")


if __name__ == "__main__":
    asyncio.run(main())
