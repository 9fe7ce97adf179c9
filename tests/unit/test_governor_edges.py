"""Edges of the governor (``_governor``) that mutation testing found unguarded.

Most run on a virtual clock that starts at ``T``, not 0: at 0, ``now - t`` and ``now + t`` agree.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

import pytest

from hetzner_async._budget import UNLIMITED, Spare
from hetzner_async._governor import (
    Governor,
    Ticket,
    background_context,
    rate_limit_deadline,
)
from hetzner_async._wire import RateLimit
from hetzner_async.errors import ClientClosedError, RateLimitError

from ..virtual_time import run_virtual

WALL = dt.datetime(2026, 11, 25, 12, 0, 0, tzinfo=dt.UTC)
T = 1000.0


def bucket(limit: int, remaining: int, until_full: float = 3600) -> RateLimit:
    return RateLimit(limit, remaining, WALL + dt.timedelta(seconds=until_full))


def empty_bucket() -> RateLimit:
    """3600/h, nothing left: one request comes back every second."""
    return bucket(3600, 0)


async def known(governor: Governor, rate_limit: RateLimit) -> None:
    """Send the probe and answer it with these headers."""
    ticket = await governor.acquire()
    governor.release(rate_limit, sent_at=WALL, ticket=ticket)


def paced(
    n: int, *, on_wait: list[float] | None = None, max_wait: float = 300
) -> tuple[Governor, list[float]]:
    """Send ``n`` requests at once into an empty bucket; return the governor and send times."""

    async def main() -> tuple[Governor, list[float]]:
        loop = asyncio.get_running_loop()
        governor = Governor(
            max_wait=max_wait,
            fallback_wait=1,
            on_wait=None if on_wait is None else on_wait.append,
        )
        assert (governor.waits, governor.waited, governor.throttled) == (0, 0.0, 0)
        await known(governor, empty_bucket())
        times: list[float] = []

        async def request() -> None:
            await governor.acquire()
            times.append(loop.time() - T)
            governor.release(None, sent_at=WALL, answered=False)

        await asyncio.gather(*(request() for _ in range(n)))
        return governor, times

    return run_virtual(main, start=T)[0]


def test_counters_count_each_wait_and_its_seconds() -> None:
    waits: list[float] = []
    governor, times = paced(4, on_wait=waits)
    assert times == pytest.approx([1, 2, 3, 4])
    assert governor.waits == 4
    assert governor.waited == pytest.approx(1 + 2 + 3 + 4)  # each from when it asked
    assert waits == pytest.approx([1, 2, 3, 4])
    assert governor.throttled == 0


def test_a_wait_of_exactly_max_wait_is_allowed() -> None:
    _, times = paced(1, max_wait=1.0)
    assert times == pytest.approx([1.0])


def test_a_wait_for_budget_is_logged_once_per_request_at_info_from_a_second(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.DEBUG, logger="hetzner_async"):
        paced(3)
    waits = [r for r in caplog.records if "rate-limit budget" in r.getMessage()]
    assert [r.levelno for r in waits] == [logging.INFO] * 3
    assert all("1.00s" in r.getMessage() for r in waits)


def test_a_short_wait_for_budget_is_logged_at_debug(caplog: pytest.LogCaptureFixture) -> None:
    async def main() -> None:
        governor = Governor(max_wait=300, fallback_wait=1)
        await known(governor, bucket(7200, 0))  # 2 requests a second
        await governor.acquire()

    with caplog.at_level(logging.DEBUG, logger="hetzner_async"):
        _, waited = run_virtual(main, start=T)
    assert waited == pytest.approx(0.5)
    waits = [r for r in caplog.records if "rate-limit budget" in r.getMessage()]
    assert [(r.levelno, "0.50s" in r.getMessage()) for r in waits] == [(logging.DEBUG, True)]


def test_a_broken_wait_hook_is_logged_and_the_request_goes(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(seconds: float) -> None:
        raise ValueError(seconds)

    async def main() -> float:
        governor = Governor(max_wait=300, fallback_wait=1, on_wait=broken)
        await known(governor, empty_bucket())
        await governor.acquire()
        return governor.waited

    with caplog.at_level(logging.ERROR, logger="hetzner_async"):
        waited, _ = run_virtual(main, start=T)
    assert waited == pytest.approx(1.0)
    [record] = [r for r in caplog.records if r.exc_info]
    assert "on_rate_limit_wait" in record.getMessage()


def test_waiting_for_the_probe_is_not_a_wait_for_budget() -> None:
    """The budget is unknown, not short: the wait counters and the hook are for shortfalls."""

    async def main() -> tuple[int, float, list[float]]:
        hooked: list[float] = []
        governor = Governor(max_wait=300, fallback_wait=1, on_wait=hooked.append)
        probe = await governor.acquire()
        follower = asyncio.create_task(governor.acquire())
        await asyncio.sleep(2)
        governor.release(bucket(3600, 3599), sent_at=WALL, ticket=probe)
        await follower
        return governor.waits, governor.waited, hooked

    assert run_virtual(main, start=T)[0] == (0, 0.0, [])


def test_a_wait_past_the_deadline_raises_at_once_with_the_facts() -> None:
    async def main() -> RateLimitError:
        governor = Governor(max_wait=300, fallback_wait=1)
        await known(governor, empty_bucket())
        with rate_limit_deadline(0.5), pytest.raises(RateLimitError) as raised:
            await governor.acquire()
        return raised.value

    error, waited = run_virtual(main, start=T)
    assert waited == 0
    assert (error.status, error.code, error.deadline_exceeded) == (429, "rate_limit_exceeded", True)
    assert error.reset == WALL + dt.timedelta(seconds=3600)
    assert "1.0 s" in error.message  # the wait it would take
    assert "0.5 s" in error.message  # and what the deadline allowed


def test_a_deadline_error_before_any_headers_has_no_reset() -> None:
    async def main() -> RateLimitError:
        governor = Governor(max_wait=300, fallback_wait=10)
        ticket = await governor.acquire()
        governor.release(None, sent_at=WALL, throttled=True, ticket=ticket)  # a proxy's 429
        with rate_limit_deadline(1), pytest.raises(RateLimitError) as raised:
            await governor.acquire()
        return raised.value

    error, waited = run_virtual(main, start=T)
    assert waited == 0
    assert error.reset is None
    assert error.deadline_exceeded


def test_a_deadline_reached_in_the_queue_says_how_long_it_waited_there() -> None:
    async def main() -> tuple[RateLimitError, float]:
        loop = asyncio.get_running_loop()
        governor = Governor(max_wait=300, fallback_wait=1)
        await known(governor, empty_bucket())
        ahead = [asyncio.create_task(governor.acquire()) for _ in range(5)]
        await asyncio.sleep(0)
        with rate_limit_deadline(2), pytest.raises(RateLimitError) as raised:
            await governor.acquire()
        at = loop.time() - T
        for task in ahead:
            task.cancel()
        await asyncio.gather(*ahead, return_exceptions=True)
        return raised.value, at

    (error, at), _ = run_virtual(main, start=T)
    assert at == pytest.approx(2.0)
    assert error.deadline_exceeded
    assert " 2.0 s " in error.message  # measured from entering the block, not from 0
    assert "queue" in error.message


def test_tickets_count_the_answers_before_each_request_left() -> None:
    async def main() -> list[Ticket]:
        governor = Governor(max_wait=300, fallback_wait=1)
        tickets = []
        for _ in range(3):
            ticket = await governor.acquire()
            tickets.append(ticket)
            governor.release(bucket(100, 90), sent_at=WALL, ticket=ticket)
        tickets.append(await governor.acquire())
        tickets.append(await governor.acquire())
        return tickets

    assert run_virtual(main, start=T)[0] == [0, 1, 2, 3, 3]


def test_answers_in_order_count_nothing_as_overlapping() -> None:
    """Each answer that says more is left than the mirror thinks is believed in full."""

    async def main() -> list[float]:
        governor = Governor(max_wait=300, fallback_wait=1)
        await known(governor, bucket(100, 10))
        tokens = []
        for _ in range(3):
            ticket = await governor.acquire()
            governor.release(bucket(100, 10), sent_at=WALL, ticket=ticket)
            tokens.append(governor.budget.tokens)
        return tokens

    assert run_virtual(main, start=T)[0] == pytest.approx([10, 10, 10])


def test_a_stale_answer_that_arrives_last_hands_back_no_request() -> None:
    async def main() -> float:
        governor = Governor(max_wait=300, fallback_wait=1)
        await known(governor, bucket(100, 10))
        first = await governor.acquire()
        second = await governor.acquire()  # 8 left by the mirror
        governor.release(bucket(100, 8), sent_at=WALL, ticket=second)
        # The first one's answer was read before the second was counted: 9 left, then.
        governor.release(bucket(100, 9), sent_at=WALL, ticket=first)
        return governor.budget.tokens

    assert run_virtual(main, start=T)[0] == pytest.approx(8)


def test_without_tickets_the_requests_in_flight_count_as_overlapping() -> None:
    async def main() -> float:
        governor = Governor(max_wait=300, fallback_wait=1)
        probe = await governor.acquire()
        governor.release(bucket(100, 10), sent_at=WALL, ticket=probe)
        for _ in range(3):
            await governor.acquire()  # 7 left by the mirror, 3 in flight
        governor.release(bucket(100, 9), sent_at=WALL)  # 2 others may not be counted in it
        return governor.budget.tokens

    assert run_virtual(main, start=T)[0] == pytest.approx(7)


def test_429s_are_counted() -> None:
    async def main() -> int:
        governor = Governor(max_wait=300, fallback_wait=1)
        for _ in range(2):
            ticket = await governor.acquire()
            governor.release(bucket(3600, 3000), sent_at=WALL, throttled=True, ticket=ticket)
        return governor.throttled

    assert run_virtual(main, start=T)[0] == 2


def test_a_bare_429_after_headers_starts_a_fresh_back_off() -> None:
    async def main() -> float:
        loop = asyncio.get_running_loop()
        governor = Governor(max_wait=300, fallback_wait=1)
        await known(governor, bucket(3600, 3600, 0))
        ticket = await governor.acquire()
        governor.release(None, sent_at=WALL, throttled=True, ticket=ticket)
        started = loop.time()
        await governor.acquire()
        return loop.time() - started

    assert run_virtual(main, start=T)[0] == pytest.approx(1.0)  # fallback_wait, not doubled


def test_a_bare_429_spares_nothing_for_polls_until_its_back_off_ends() -> None:
    async def main() -> tuple[Spare, Spare]:
        governor = Governor(max_wait=300, fallback_wait=2)
        ticket = await governor.acquire()
        governor.release(None, sent_at=WALL, throttled=True, ticket=ticket)
        held = governor.spare(0.2)
        await asyncio.sleep(2)  # exactly when the back-off ends
        return held, governor.spare(0.2)

    held, after = run_virtual(main, start=T)[0]
    assert held == Spare(rate=0.0, scarcity=1.0)
    assert after == UNLIMITED


def test_a_closed_governor_refuses_even_a_request_it_could_send_at_once() -> None:
    async def main() -> None:
        governor = Governor(max_wait=300, fallback_wait=1)
        await governor.aclose()
        with pytest.raises(ClientClosedError):
            await governor.acquire()

    run_virtual(main, start=T)


def test_a_request_that_comes_as_budget_returns_does_not_jump_the_line() -> None:
    async def main() -> list[str]:
        governor = Governor(max_wait=300, fallback_wait=1)
        await known(governor, bucket(3600, 1))
        other = await governor.acquire()  # the last request of the bucket
        order: list[str] = []

        async def request(name: str) -> None:
            await governor.acquire()
            order.append(name)

        first = asyncio.create_task(request("first"))
        await asyncio.sleep(0.1)  # waits for budget
        governor.release(bucket(3600, 5), sent_at=WALL, ticket=other)  # budget is back
        second = asyncio.create_task(request("second"))  # asks before the first one wakes
        await asyncio.gather(first, second)
        return order

    assert run_virtual(main, start=T)[0] == ["first", "second"]


def test_a_request_overtaken_while_the_probe_is_out_keeps_waiting_for_it() -> None:
    async def main() -> list[str]:
        governor = Governor(max_wait=300, fallback_wait=1)
        probe = await governor.acquire()
        order: list[str] = []

        async def request(name: str) -> None:
            await governor.acquire()
            order.append(name)

        single = asyncio.create_task(request("single"))
        await asyncio.sleep(1)
        loop = asyncio.get_running_loop()
        poll = loop.create_task(request("poll"), context=background_context())
        await asyncio.sleep(1)
        order.append("probe answered")
        governor.release(bucket(3600, 3000), sent_at=WALL, ticket=probe)
        await asyncio.gather(single, poll)
        return order

    assert run_virtual(main, start=T)[0] == ["probe answered", "poll", "single"]


class SlowShared(Governor):
    """A governor whose budget takes a round trip to ask, as a shared one does."""

    def __init__(self) -> None:
        super().__init__(max_wait=300, fallback_wait=1)
        self._may_skip_line = False

    async def _wait_needed(self, now: float) -> float | None:
        await asyncio.sleep(0.1)
        return self._local_delay(asyncio.get_running_loop().time())


def test_a_poll_that_comes_while_a_request_asks_a_shared_budget_goes_first() -> None:
    async def main() -> list[tuple[str, float]]:
        loop = asyncio.get_running_loop()
        governor = SlowShared()
        await known(governor, empty_bucket())
        sent: list[tuple[str, float]] = []

        async def request(name: str) -> None:
            await governor.acquire()
            sent.append((name, loop.time() - T))

        single = asyncio.create_task(request("single"))
        await asyncio.sleep(0.05)  # it is asking
        poll = loop.create_task(request("poll"), context=background_context())
        await asyncio.gather(single, poll)
        return sent

    sent = run_virtual(main, start=T)[0]
    assert [name for name, _ in sent] == ["poll", "single"]
    assert sent[1][1] > sent[0][1] >= 1.0  # neither went before the budget allowed


@pytest.mark.parametrize(("latency", "full_again"), [(None, 2.0), (0.5, 1.5)])
def test_a_tiny_bucket_is_full_again_at_reset_measured_from_the_sending(
    latency: float | None, full_again: float
) -> None:
    """10 an hour, 9 left, full in 1 s: the 10th request goes at Reset (+1 s for the clocks)."""

    async def main() -> float:
        loop = asyncio.get_running_loop()
        governor = Governor(max_wait=300, fallback_wait=1)
        ticket = await governor.acquire()
        if latency is None:
            governor.release(bucket(10, 9, 1), sent_at=WALL, ticket=ticket)
        else:
            governor.release(bucket(10, 9, 1), sent_at=WALL, ticket=ticket, latency=latency)
        for _ in range(10):
            await governor.acquire()
        return loop.time() - T

    assert run_virtual(main, start=T)[0] == pytest.approx(full_again)
