"""The governor in virtual time: the probe, first-come-first-served pacing, deadlines."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from hetzner_async._governor import Governor, rate_limit_deadline
from hetzner_async._wire import RateLimit
from hetzner_async.errors import RateLimitError

from ..virtual_time import run_virtual

WALL = dt.datetime(2026, 11, 25, 12, 0, 0, tzinfo=dt.UTC)


def empty_bucket() -> RateLimit:
    """3600/h, nothing left, full in an hour: one request comes back every second."""
    return RateLimit(3600, 0, WALL + dt.timedelta(seconds=3600))


def test_until_the_budget_is_known_one_probe_goes_alone() -> None:
    async def main() -> list[str]:
        governor = Governor(max_wait=300, fallback_wait=1)
        order: list[str] = []
        await governor.acquire()  # the probe
        order.append("probe sent")

        async def follower() -> None:
            await governor.acquire()
            order.append("follower sent")

        task = asyncio.create_task(follower())
        await asyncio.sleep(5)  # the follower waits as long as the probe is out
        order.append("probe answered")
        governor.release(RateLimit(3600, 3599, WALL + dt.timedelta(seconds=1)), sent_at=WALL)
        await task
        return order

    order, waited = run_virtual(main)
    assert order == ["probe sent", "probe answered", "follower sent"]
    assert waited == pytest.approx(5)


def test_requests_are_served_in_order_and_paced_by_the_refill() -> None:
    async def main() -> list[tuple[int, float]]:
        loop = asyncio.get_running_loop()
        governor = Governor(max_wait=300, fallback_wait=1)
        await governor.acquire()
        governor.release(empty_bucket(), sent_at=WALL)
        done: list[tuple[int, float]] = []

        async def request(n: int) -> None:
            await governor.acquire()
            done.append((n, loop.time()))
            governor.release(None, sent_at=WALL, answered=False)

        await asyncio.gather(*(request(n) for n in range(4)))
        return done

    done, _ = run_virtual(main)
    assert [n for n, _ in done] == [0, 1, 2, 3]
    assert [t for _, t in done] == pytest.approx([1.0, 2.0, 3.0, 4.0])


def test_a_deadline_raises_instead_of_waiting_longer() -> None:
    async def main() -> RateLimitError:
        governor = Governor(max_wait=300, fallback_wait=1)
        await governor.acquire()
        governor.release(empty_bucket(), sent_at=WALL)
        with rate_limit_deadline(0.5), pytest.raises(RateLimitError) as raised:
            await governor.acquire()
        return raised.value

    error, waited = run_virtual(main)
    assert error.deadline_exceeded
    assert error.reset == WALL + dt.timedelta(seconds=3600)
    assert waited == 0  # it did not wait first and fail later


def test_a_429_without_headers_blocks_everyone_with_growing_waits() -> None:
    async def main() -> list[float]:
        loop = asyncio.get_running_loop()
        governor = Governor(max_wait=300, fallback_wait=1)
        times = []
        for _ in range(3):
            await governor.acquire()
            times.append(loop.time())
            governor.release(None, sent_at=WALL, throttled=True)
        await governor.acquire()
        times.append(loop.time())
        return times

    times, _ = run_virtual(main)
    assert times == pytest.approx([0.0, 1.0, 3.0, 7.0])  # waits of 1, 2, 4 s


def test_a_server_without_rate_limit_headers_is_not_governed() -> None:
    async def main() -> float:
        loop = asyncio.get_running_loop()
        governor = Governor(max_wait=300, fallback_wait=1)
        await governor.acquire()
        governor.release(None, sent_at=WALL)
        for _ in range(100):
            await governor.acquire()
        return loop.time()

    elapsed, _ = run_virtual(main)
    assert elapsed == 0
