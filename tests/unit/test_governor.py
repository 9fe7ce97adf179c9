"""The governor in virtual time: the probe, first-come-first-served pacing, deadlines."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from hetzner_async._governor import Governor, rate_limit_deadline
from hetzner_async._wire import RateLimit
from hetzner_async.errors import ClientClosedError, RateLimitError

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


def test_a_deadline_also_bounds_the_wait_in_the_queue() -> None:
    """Behind ten requests paced at 1/s, a 2 s deadline raises at 2 s, not when its turn comes."""

    async def main() -> tuple[float, RateLimitError]:
        loop = asyncio.get_running_loop()
        governor = Governor(max_wait=300, fallback_wait=1)
        await governor.acquire()
        governor.release(empty_bucket(), sent_at=WALL)

        async def request() -> None:
            await governor.acquire()
            governor.release(None, sent_at=WALL, answered=False)

        queued = [asyncio.create_task(request()) for _ in range(10)]
        await asyncio.sleep(0)  # they queue first
        with rate_limit_deadline(2.0), pytest.raises(RateLimitError) as raised:
            await governor.acquire()
        failed_at = loop.time()
        await asyncio.gather(*queued)
        return failed_at, raised.value

    (failed_at, error), _ = run_virtual(main)
    assert failed_at == pytest.approx(2.0)
    assert error.deadline_exceeded


def test_a_deadline_bounds_the_wait_for_the_first_probe_too() -> None:
    async def main() -> float:
        loop = asyncio.get_running_loop()
        governor = Governor(max_wait=300, fallback_wait=1)
        await governor.acquire()  # the probe, not answered yet
        async with asyncio.timeout(60):  # not forever, even if the deadline were ignored
            with rate_limit_deadline(1.5), pytest.raises(RateLimitError):
                await governor.acquire()
        return loop.time()

    failed_at, _ = run_virtual(main)
    assert failed_at == pytest.approx(1.5)


def test_a_deadline_in_the_queue_leaves_the_others_in_order() -> None:
    async def main() -> list[int]:
        governor = Governor(max_wait=300, fallback_wait=1)
        await governor.acquire()
        governor.release(empty_bucket(), sent_at=WALL)
        served: list[int] = []

        async def request(n: int, deadline: float | None) -> None:
            if deadline is None:
                await governor.acquire()
            else:
                with rate_limit_deadline(deadline):
                    await governor.acquire()
            served.append(n)
            governor.release(None, sent_at=WALL, answered=False)

        results = await asyncio.gather(
            request(0, None), request(1, 0.5), request(2, None), return_exceptions=True
        )
        assert isinstance(results[1], RateLimitError)
        return served

    served, waited = run_virtual(main)
    assert served == [0, 2]
    assert waited == pytest.approx(2.0)


def test_a_burst_of_bare_429s_backs_off_once_and_an_answer_resets_the_back_off() -> None:
    """Twelve requests in flight meet a header-less 429 each: one burst, one back-off of 1 s."""

    async def main() -> list[float]:
        loop = asyncio.get_running_loop()
        governor = Governor(max_wait=300, fallback_wait=1)
        await governor.acquire()
        governor.release(None, sent_at=WALL)  # no headers: nothing to govern
        times = []
        for _ in range(2):
            for _ in range(12):
                await governor.acquire()
            for _ in range(12):
                governor.release(None, sent_at=WALL, throttled=True)
            await governor.acquire()
            times.append(loop.time())
            governor.release(None, sent_at=WALL)  # an answer: the next burst starts afresh
        return times

    times, _ = run_virtual(main)
    assert times == pytest.approx([1.0, 2.0])


def test_a_429_that_reports_budget_left_still_waits_for_the_refill() -> None:
    """A 429 proves the bucket empty: whatever Remaining says, the retry waits for a token."""

    async def main() -> float:
        loop = asyncio.get_running_loop()
        governor = Governor(max_wait=300, fallback_wait=1)
        await governor.acquire()
        governor.release(RateLimit(3600, 3000, WALL + dt.timedelta(seconds=600)), sent_at=WALL)
        await governor.acquire()
        governor.release(
            RateLimit(3600, 2999, WALL + dt.timedelta(seconds=601)), sent_at=WALL, throttled=True
        )
        started = loop.time()
        await governor.acquire()
        return loop.time() - started

    waited, _ = run_virtual(main)
    assert waited >= 1.0  # one request's worth at 1/s (or more, with the share halved)


def test_closing_fails_the_requests_waiting_for_budget_and_refuses_new_ones() -> None:
    async def main() -> tuple[list[type[BaseException]], float]:
        loop = asyncio.get_running_loop()
        governor = Governor(max_wait=300, fallback_wait=1)
        await governor.acquire()
        governor.release(empty_bucket(), sent_at=WALL)
        waiting = [asyncio.create_task(governor.acquire()) for _ in range(5)]
        await asyncio.sleep(0.5)
        await governor.aclose()
        results = await asyncio.gather(*waiting, return_exceptions=True)
        with pytest.raises(ClientClosedError):
            await governor.acquire()
        return [type(r) for r in results], loop.time()

    (kinds, ended), _ = run_virtual(main)
    assert kinds == [ClientClosedError] * 5
    assert ended == pytest.approx(0.5)
