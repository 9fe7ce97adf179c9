"""The shared action poller, in virtual time: batching, idleness, cancellation, intervals."""

from __future__ import annotations

import asyncio
import contextvars
import copy
import datetime as dt
import random
import re
from collections.abc import Sequence
from typing import Any

import pytest

from hetzner_async import HetznerClient, PollPolicy, rate_limit_deadline
from hetzner_async._convert import strict_converter, structure
from hetzner_async._poller import ActionPoller, default_deadline
from hetzner_async.errors import ActionTimeoutError, ClientClosedError, RateLimitError
from hetzner_async.models import Action

from ..examples import example
from ..virtual_time import run_virtual
from ..wire import ENDPOINT, TOKEN, mocked_api, rate_limit_headers, sent

ACTIONS = re.compile(r"^http://127\.0\.0\.1:9/v1/actions\?.*$")
SERVERS = re.compile(r"^http://127\.0\.0\.1:9/v1/servers\?.*$")
NOW = dt.datetime(2026, 11, 25, 12, 0, 0, tzinfo=dt.UTC)
T0 = int(NOW.timestamp())


def action(
    action_id: int, status: str = "running", command: str = "create_server"
) -> dict[str, Any]:
    data = copy.deepcopy(example("action_generic")["action"])
    data.update(
        id=action_id, status=status, command=command, progress=100 if status != "running" else 10
    )
    data["error"] = None
    data["finished"] = None if status == "running" else data["started"]
    return data


def model(data: dict[str, Any]) -> Action:
    return structure(strict_converter, data, Action)


def answer_all(status: str, headers: dict[str, str] | None = None) -> Any:
    """An aioresponses callback answering every asked id with the given status."""
    from aioresponses import CallbackResult

    def callback(url: Any, **kwargs: Any) -> CallbackResult:
        ids = [int(v) for k, v in kwargs["params"] if k == "id"]
        return CallbackResult(
            payload={"actions": [action(i, status) for i in ids]}, headers=headers
        )

    return callback


@pytest.mark.parametrize(
    ("tick", "expected"), [(0, 0.5), (1, 0.75), (2, 1.125), (5, 3.796875), (6, 5.0), (20, 5.0)]
)
def test_poll_interval_grows_to_the_cap(tick: int, expected: float) -> None:
    policy = PollPolicy(jitter=0)
    assert policy.interval(tick, random.Random(1)) == pytest.approx(expected)


def test_poll_interval_jitter_stays_within_bounds() -> None:
    policy = PollPolicy(initial=1, cap=1, jitter=0.1)
    rng = random.Random(7)
    values = [policy.interval(0, rng) for _ in range(200)]
    assert min(values) >= 0.9
    assert max(values) <= 1.1
    assert max(values) - min(values) > 0.1  # it does vary


@pytest.mark.parametrize(
    ("commands", "deadline"),
    [
        (["start_server"], 600.0),
        (["create_server", "start_server"], 1800.0),
        (["set_firewall_rules"], 300.0),
        ([], 300.0),
    ],
)
def test_default_deadline_fits_the_slowest_command(commands: list[str], deadline: float) -> None:
    actions = [model(action(i + 1, command=c)) for i, c in enumerate(commands)]
    assert default_deadline(actions) == deadline


def test_sixty_waiting_tasks_cost_three_requests_per_tick() -> None:
    """60 concurrent waiters share one loop: ceil(60/25) = 3 requests, then nothing more."""
    with mocked_api() as api:
        api.get(ACTIONS, callback=answer_all("success"), repeat=True)

        async def main() -> list[list[Action]]:
            async with HetznerClient(TOKEN, endpoint=ENDPOINT, strict=True) as hz:
                waits = [hz.actions.wait(model(action(i))) for i in range(1, 61)]
                done = await asyncio.gather(*waits)
                await asyncio.sleep(60)  # idle: the poller must not ask again
                return done

        done, _ = run_virtual(main)
        assert all(result[0].status == "success" for result in done)
        batches = [len(q) for _, _, q, _ in sent(api)]
        assert sorted(batches) == [10, 25, 25]


def test_a_cancelled_waiter_leaves_the_batch() -> None:
    with mocked_api() as api:
        api.get(ACTIONS, callback=answer_all("running"), repeat=True)

        async def main() -> None:
            async with HetznerClient(
                TOKEN,
                endpoint=ENDPOINT,
                strict=True,
                poll=PollPolicy(initial=1, factor=1, cap=1, jitter=0),
            ) as hz:
                first = asyncio.create_task(hz.actions.wait(model(action(1)), timeout=100))
                second = asyncio.create_task(hz.actions.wait(model(action(2)), timeout=100))
                await asyncio.sleep(1.5)  # one poll for both
                first.cancel()
                await asyncio.sleep(1)  # the next poll asks for 2 only
                second.cancel()
                await asyncio.gather(first, second, return_exceptions=True)
                await asyncio.sleep(10)  # nobody waits: no more requests

        run_virtual(main)
        assert [q for _, _, q, _ in sent(api)] == [[("id", "1"), ("id", "2")], [("id", "2")]]


def test_a_steady_stream_of_new_waiters_does_not_starve_polling() -> None:
    """New arrivals pull the next poll earlier but never postpone it."""
    with mocked_api() as api:
        api.get(ACTIONS, callback=answer_all("success"), repeat=True)

        async def main() -> float:
            async with HetznerClient(
                TOKEN,
                endpoint=ENDPOINT,
                strict=True,
                poll=PollPolicy(initial=1, factor=1, cap=1, jitter=0),
            ) as hz:
                loop = asyncio.get_running_loop()
                start = loop.time()
                finished: list[float] = []
                first = asyncio.create_task(hz.actions.wait(model(action(1))))
                first.add_done_callback(lambda _: finished.append(loop.time()))
                others = []
                for i in range(2, 40):  # a new waiter every 0.1 s for ~4 s
                    await asyncio.sleep(0.1)
                    others.append(asyncio.create_task(hz.actions.wait(model(action(i)))))
                await asyncio.gather(first, *others)
                return finished[0] - start

        waited, _ = run_virtual(main)
        assert waited == pytest.approx(1.0)


_caller: contextvars.ContextVar[str] = contextvars.ContextVar("caller", default="nobody")


def test_the_poller_runs_in_a_context_of_its_own() -> None:
    """The loop serves every waiter: the context of the task that started it must not leak in."""
    seen: list[str] = []

    async def fetch(ids: Sequence[int]) -> list[Action]:
        seen.append(_caller.get())
        return [model(action(i, "success")) for i in ids]

    async def main() -> None:
        poller = ActionPoller(fetch, PollPolicy(initial=1, factor=1, cap=1, jitter=0))
        _caller.set("task A")
        await poller.wait([model(action(1))], timeout=10)

    run_virtual(main)
    assert seen == ["nobody"]


def test_one_tasks_rate_limit_deadline_does_not_fail_another_tasks_wait() -> None:
    """A waits inside rate_limit_deadline(0.5) and starts the poller; B, without one, is served
    by the same poller while the budget needs 1 s per request: B gets its action. A's own wait
    of 0.3 s ends before any poll could go; the last look after its deadline is background work
    too (no RateLimitError from A's block) and finds the action done."""
    empty = rate_limit_headers(3600, 0, T0 + 3600)  # one request back per second
    with mocked_api() as api:
        api.get(SERVERS, payload={"servers": []}, headers=empty)
        api.get(ACTIONS, callback=answer_all("success", empty), repeat=True)

        async def main() -> tuple[str, str]:
            hz = HetznerClient(
                TOKEN, endpoint=ENDPOINT, strict=True, poll=PollPolicy(initial=0.2, jitter=0)
            )
            hz._transport._clock = lambda: NOW
            async with hz:
                await hz.servers.list()  # the budget is known, and empty

                async def a() -> str:
                    with rate_limit_deadline(0.5):
                        try:
                            await hz.actions.wait(model(action(1)), timeout=0.3)
                        except ActionTimeoutError:
                            return "A timed out"
                    return "A done"

                async def b() -> str:
                    try:
                        (done,) = await hz.actions.wait(model(action(2)), timeout=30)
                    except RateLimitError as error:
                        return f"B failed: {error}"
                    return f"B {done.status}"

                return await a(), await b()

        (first, second), _ = run_virtual(main)
    assert first == "A done"
    assert second == "B success"


def test_a_crash_of_the_poller_fails_its_waiters_at_once(caplog: pytest.LogCaptureFixture) -> None:
    async def fetch(ids: Sequence[int]) -> list[Action]:
        raise RuntimeError("bug in a fetch")

    async def main() -> tuple[BaseException | None, float]:
        loop = asyncio.get_running_loop()
        poller = ActionPoller(fetch, PollPolicy(initial=1, factor=1, cap=1, jitter=0))
        try:
            await poller.wait([model(action(1))], timeout=600)
        except RuntimeError as error:
            return error, loop.time()
        return None, loop.time()

    (error, failed_at), _ = run_virtual(main)
    assert str(error) == "bug in a fetch"
    assert failed_at == pytest.approx(1.0)  # the first poll, not the 600 s deadline
    assert "action poller stopped" in caplog.text


def test_closing_the_client_fails_the_waiters_with_client_closed_error() -> None:
    with mocked_api() as api:
        api.get(ACTIONS, callback=answer_all("running"), repeat=True)

        async def main() -> BaseException:
            hz = HetznerClient(TOKEN, endpoint=ENDPOINT, strict=True)
            async with hz:
                waiter = asyncio.create_task(hz.actions.wait(model(action(1)), timeout=100))
                await asyncio.sleep(2)
            with pytest.raises(ClientClosedError) as raised:
                await waiter
            with pytest.raises(ClientClosedError):
                await hz.actions.wait(model(action(2)))
            return raised.value

        error, waited = run_virtual(main)
    assert waited == pytest.approx(2.0)
    assert "closed" in str(error)
