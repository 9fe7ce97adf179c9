"""A client's life: calls after close, background work at close, a second event loop."""

from __future__ import annotations

import asyncio
import copy
import json
import re
from typing import Any

import aiohttp
import pytest
from aioresponses import CallbackResult

from hetzner_async import HetznerClient
from hetzner_async.errors import ClientClosedError, WrongEventLoopError
from hetzner_async.models import Server

from ..examples import example
from ..virtual_time import run_virtual
from ..wire import ENDPOINT, TOKEN, mocked_api, sent

SERVER_42 = f"{ENDPOINT}/servers/42"
SERVERS = re.compile(r"^http://127\.0\.0\.1:9/v1/servers(\?.*)?$")


def done(action: dict[str, Any]) -> dict[str, Any]:
    return {**action, "status": "success", "progress": 100, "finished": action["started"]}


async def test_a_closed_client_refuses_calls_and_opens_no_new_session() -> None:
    with mocked_api() as api:
        api.get(SERVER_42, payload=example("server"), repeat=True)
        hz = HetznerClient(TOKEN, endpoint=ENDPOINT)
        async with hz:
            await hz.servers.get(42)
        with pytest.raises(ClientClosedError, match="closed"):
            await hz.servers.get(42)
        assert hz.closed
        with pytest.raises(ClientClosedError):
            await hz.request("GET", "/servers/42")
        with pytest.raises(ClientClosedError):
            async with hz:
                pass
        assert hz._transport._session is None  # nothing was opened behind the caller's back
        assert len(sent(api)) == 1
        await hz.close()  # closing again is harmless


def test_a_closed_client_used_in_a_second_event_loop_fails_at_once() -> None:
    with mocked_api() as api:
        api.get(SERVER_42, payload=example("server"), repeat=True)
        hz = HetznerClient(TOKEN, endpoint=ENDPOINT)

        async def job() -> int:
            async with hz:
                return (await hz.servers.get(42)).id

        assert asyncio.run(job()) == 42
        with pytest.raises(ClientClosedError):
            asyncio.run(job())


def test_a_client_left_open_fails_clearly_in_another_event_loop() -> None:
    """Its pool, governor and poller belong to the first loop: no hang, a clear error."""
    with mocked_api() as api:
        api.get(SERVER_42, payload=example("server"), repeat=True)
        clients: list[HetznerClient] = []

        async def first() -> int:
            async with aiohttp.ClientSession() as session:  # the application's, closed by it
                hz = HetznerClient(TOKEN, endpoint=ENDPOINT, session=session)
                clients.append(hz)
                return (await hz.servers.get(42)).id

        async def second() -> list[type[BaseException]]:
            (hz,) = clients
            action = hz.actions.parse(example("create_server_response")["action"])
            failures = []
            for call in (hz.servers.get(42), hz.actions.wait(action, timeout=5)):
                try:
                    async with asyncio.timeout(10):
                        await call
                except (WrongEventLoopError, TimeoutError) as error:
                    failures.append(type(error))
            return failures

        assert asyncio.run(first()) == 42
        assert asyncio.run(second()) == [WrongEventLoopError, WrongEventLoopError]
        with pytest.raises(WrongEventLoopError, match="one client per event loop"):
            asyncio.run(clients[0].servers.get(42))


def test_close_cancels_a_batched_look_up_left_behind_by_a_cancelled_create_and_wait() -> None:
    """create_and_wait is cancelled while its re-read of the new server is on the wire: close()
    must not leave that look-up running (it would finish on a session nobody closes)."""
    on_the_wire = asyncio.Event()

    def created(url: Any, **kwargs: Any) -> CallbackResult:
        body = copy.deepcopy(example("create_server_response"))
        body["server"]["labels"] = json.loads(kwargs["data"])["labels"]
        body["action"] = done(body["action"])
        body["next_actions"] = [done(a) for a in body["next_actions"]]
        return CallbackResult(status=201, payload=body)

    async def slow_listing(url: Any, **kwargs: Any) -> CallbackResult:
        on_the_wire.set()
        await asyncio.sleep(3600)
        return CallbackResult(payload={"servers": []})

    with mocked_api() as api:
        api.post(SERVERS, callback=created)
        api.get(SERVERS, callback=slow_listing)

        async def main() -> list[asyncio.Task[Any]]:
            before = asyncio.all_tasks()
            hz = HetznerClient(TOKEN, endpoint=ENDPOINT)
            async with hz:
                job = asyncio.create_task(
                    hz.servers.create_and_wait(name="x", server_type="cx22", image="debian-12")
                )
                await on_the_wire.wait()
                job.cancel()
                await asyncio.gather(job, return_exceptions=True)
            await asyncio.sleep(0)
            return [t for t in asyncio.all_tasks() - before if not t.done()]

        leftover, _ = run_virtual(main)
    assert leftover == []


def test_requests_waiting_for_budget_end_with_client_closed_error_at_close() -> None:
    empty = {"RateLimit-Limit": "3600", "RateLimit-Remaining": "0", "RateLimit-Reset": "1"}
    with mocked_api() as api:
        api.get(SERVER_42, payload=example("server"), headers=empty, repeat=True)

        async def main() -> list[type[Any]]:
            hz = HetznerClient(TOKEN, endpoint=ENDPOINT)
            async with hz:
                await hz.servers.get(42)  # the budget is known, and empty: 1 request a second
                calls = [asyncio.create_task(hz.servers.get(42)) for _ in range(10)]
                await asyncio.sleep(2.5)
            results = await asyncio.gather(*calls, return_exceptions=True)
            return [type(r) for r in results]

        kinds, elapsed = run_virtual(main)
    # Two went out before the close (at 1 s and 2 s); the rest end at the close, not later.
    assert kinds == [Server] * 2 + [ClientClosedError] * 8
    assert elapsed == pytest.approx(2.5)
