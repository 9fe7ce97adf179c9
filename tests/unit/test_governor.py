"""The governor in virtual time: the probe, pacing in order (polls first), deadlines, tickets."""

from __future__ import annotations

import asyncio
import datetime as dt
import random

import pytest

from hetzner_async._governor import Governor, background_context, rate_limit_deadline
from hetzner_async._wire import RateLimit
from hetzner_async.errors import ClientClosedError, RateLimitError
from hetzner_async.testing import RateLimiter

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


def test_a_poll_waits_behind_no_post() -> None:
    """Ten creates queue for an empty bucket (one request a second); a poll that comes after
    them goes first, at 1 s, and the creates follow in their order."""

    async def main() -> list[tuple[str, float]]:
        loop = asyncio.get_running_loop()
        governor = Governor(max_wait=300, fallback_wait=1)
        await governor.acquire()
        governor.release(empty_bucket(), sent_at=WALL)
        served: list[tuple[str, float]] = []

        async def request(name: str) -> None:
            ticket = await governor.acquire()
            served.append((name, loop.time()))
            governor.release(None, sent_at=WALL, answered=False, ticket=ticket)

        creates = [asyncio.create_task(request(f"create {n}")) for n in range(10)]
        await asyncio.sleep(0.5)  # they are all in line
        poll = loop.create_task(request("poll"), context=background_context())
        await asyncio.gather(poll, *creates)
        return served

    served, _ = run_virtual(main)
    assert served[0] == ("poll", pytest.approx(1.0))
    assert [name for name, _ in served[1:]] == [f"create {n}" for n in range(10)]
    assert [t for _, t in served[1:]] == pytest.approx([2.0 + n for n in range(10)])


def test_single_requests_are_not_starved_by_a_poll_that_comes_later() -> None:
    """A background request joins while a single one waits: it goes first, the single one next."""

    async def main() -> list[str]:
        governor = Governor(max_wait=300, fallback_wait=1)
        await governor.acquire()
        governor.release(empty_bucket(), sent_at=WALL)
        served: list[str] = []

        async def request(name: str) -> None:
            await governor.acquire()
            served.append(name)

        single = asyncio.create_task(request("single"))
        await asyncio.sleep(0.9)
        background = asyncio.get_running_loop().create_task(
            request("background"), context=background_context()
        )
        await asyncio.gather(single, background)
        return served

    served, waited = run_virtual(main)
    assert served == ["background", "single"]
    assert waited == pytest.approx(2.0)


@pytest.mark.parametrize("seed", range(8))
def test_answers_out_of_order_never_overdraw_the_bucket(seed: int) -> None:
    """Four workers burst 60 requests into a bucket of 20 refilling 5/s. Each request reaches
    the API after a random delay and its answer comes back after another: answers arrive out of
    order, and an older header must not raise the mirror above what is left. Zero 429s."""
    rng = random.Random(seed)

    async def main() -> int:
        loop = asyncio.get_running_loop()
        limiter = RateLimiter(20, 5.0, loop.time, lambda: WALL.timestamp() + loop.time())
        governor = Governor(max_wait=300, fallback_wait=1)
        throttled = 0
        requests = iter(range(60))

        async def worker() -> None:
            nonlocal throttled
            for _ in requests:
                ticket = await governor.acquire()
                sent_at = dt.datetime.fromtimestamp(WALL.timestamp() + loop.time(), dt.UTC)
                sent = loop.time()
                await asyncio.sleep(rng.uniform(0.001, 0.05))  # on the way there
                status = limiter.check("token")
                assert status is not None
                throttled += not status.allowed
                await asyncio.sleep(rng.uniform(0.001, 0.05))  # and back
                reading = RateLimit(status.limit, status.remaining, wall_at(status.reset))
                governor.release(
                    reading,
                    sent_at=sent_at,
                    throttled=not status.allowed,
                    latency=loop.time() - sent,
                    ticket=ticket,
                )

        await asyncio.gather(*(worker() for _ in range(4)))
        return throttled

    throttled, elapsed = run_virtual(main)
    assert throttled == 0
    assert elapsed < (60 - 20) / 5 * 1.5  # and not much slower than the refill allows


def wall_at(seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.UTC)
