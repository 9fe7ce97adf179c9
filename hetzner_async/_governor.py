"""The rate-limit governor: one budget shared by every request of a client.

The governor mirrors the API's token bucket (``_budget.Budget``) from the headers of every
response, hands budget to waiting requests, paces them when it runs short, and after a 429 holds
every task until the budget is back, instead of letting each task back off on its own and collide
again. Requests that serve every task of the client (the action poller's, batched look-ups) go
ahead of single requests (``_line``), so that a queue of creates cannot hide that actions have
finished.

Several processes sharing one token converge through the same headers: each response tells every
client how much of the project's budget is left, whoever spent it.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import datetime as dt
import logging
from collections.abc import Callable, Iterator
from typing import NewType, Protocol

from ._budget import UNLIMITED, Budget, Spare
from ._line import Line, Place, Priority, background_context, priority
from ._wire import RateLimit
from .errors import ClientClosedError, RateLimitError

__all__ = [
    "Budget",
    "Governor",
    "Priority",
    "SharedBudget",
    "Ticket",
    "background_context",
    "rate_limit_deadline",
]

logger = logging.getLogger("hetzner_async")

_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "hetzner_async_rate_limit_deadline", default=None
)


@contextlib.contextmanager
def rate_limit_deadline(seconds: float) -> Iterator[None]:
    """Within this block, raise ``RateLimitError`` rather than wait ``seconds`` for budget.

    ``with rate_limit_deadline(5): await hz.servers.get(1)``: the deadline covers every request
    made in the block (in this task and the tasks it starts), measured from entering it, and all
    of its wait: in the queue behind other requests as well as for the budget itself. The
    client's own background work (the action poller, batched look-ups) is not bound by it.
    """
    loop = asyncio.get_running_loop()
    token = _deadline.set(loop.time() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


#: What ``acquire`` hands out and ``release`` takes back: how many requests had been answered
#: when this one left. An answer's header cannot count the requests that overlapped it (sent
#: before the answer came, not answered before it left): the ticket tells ``release`` how many
#: those were, even when answers arrive out of order.
Ticket = NewType("Ticket", int)


class Governor:
    """Hand out the shared budget to requests: background work first, then first come first served.

    ``acquire`` before each try and ``release`` (with the ticket ``acquire`` returned) after it;
    a try that received headers reports them through ``release``. Until the first response has
    reported the budget, one request at a time goes out as a probe, so a burst of hundreds of
    tasks at start-up cannot overdraw the bucket.
    """

    def __init__(
        self,
        *,
        max_wait: float,
        fallback_wait: float,
        on_wait: Callable[[float], None] | None = None,
    ) -> None:
        self._budget = Budget()
        self._on_wait = on_wait
        self._max_wait = max_wait
        self._fallback_wait = fallback_wait
        self._line = Line()
        #: Whether a request may skip the line when nobody waits (not when asking for budget
        #: takes a round trip, as to Redis: requests would ask at once, and all go).
        self._may_skip_line = True
        self._changed = asyncio.Event()
        self._in_flight = 0
        #: Tries sent and tries answered (or given up) so far: tickets count from them.
        self._acquired = 0
        self._released = 0
        self._unlimited = False
        self._blocked_until = 0.0
        self._bare_429s = 0
        self._reset: dt.datetime | None = None
        self._closed = False
        #: Requests that had to wait for budget, and the seconds they waited in all.
        self.waits = 0
        self.waited = 0.0
        #: 429 responses seen.
        self.throttled = 0

    @property
    def budget(self) -> Budget:
        """Return the mirrored bucket (for inspection)."""
        return self._budget

    def spare(self, share: float) -> Spare:
        """Return what background work may spend of the budget now (``Budget.spare``).

        Unlimited while the API sends no rate-limit headers; nothing while a 429 without
        headers holds every request back.
        """
        now = asyncio.get_running_loop().time()
        if self._blocked_until > now:
            return Spare(rate=0.0, scarcity=1.0)
        if self._unlimited:
            return UNLIMITED
        return self._budget.spare(now, share)

    def _delay(self, now: float) -> float:
        blocked = max(0.0, self._blocked_until - now)
        if self._unlimited and blocked == 0.0:
            return 0.0
        return max(blocked, self._budget.delay(now))

    async def acquire(self) -> Ticket:
        """Wait until this request may go out; raise ``RateLimitError`` past the deadline.

        The caller's ``rate_limit_deadline`` bounds all of the wait, in the queue behind other
        requests too: a wait for budget that would end past it raises at once, and a queue that
        does not move in time raises when the deadline comes.
        """
        deadline = _deadline.get()
        if deadline is None:
            return await self._acquire()
        loop = asyncio.get_running_loop()
        entered = loop.time()
        try:
            async with asyncio.timeout_at(deadline) as scope:
                return await self._acquire()
        except TimeoutError:
            if not scope.expired():
                raise
            raise self._deadline_error(
                f"the request budget is used up and the {loop.time() - entered:.1f} s waited "
                "in the queue reached the deadline"
            ) from None

    async def _acquire(self) -> Ticket:
        """Wait for this request's turn in the line, then until the budget allows one more."""
        loop = asyncio.get_running_loop()
        if self._line.head() is None and not self._closed and self._may_skip_line:
            # Nobody waits: go at once if the budget allows (the common case, kept cheap).
            delay = self._local_delay(loop.time())
            if delay is not None and delay <= 0:
                return self._take(loop.time())
        place = self._line.join(priority())
        try:
            waited = False
            started = loop.time()
            while True:
                if self._closed:
                    raise ClientClosedError()
                if self._line.head() is not place:
                    waiter = place.waiter()
                    if self._line.head() is not place and not self._closed:
                        await waiter  # until it reaches the front
                    continue
                delay = await self._wait_needed(loop.time())
                if delay is not None and delay <= 0:
                    break  # (a shared budget has already handed this request its token)
                if self._line.head() is not place:
                    continue  # a background request came first while this one asked
                if delay is None:
                    # A probe is out; its answer will say how much budget there is.
                    await self._sleep(None, place)
                    continue
                self._check_deadline(loop.time(), delay)
                if not waited:
                    logger.log(
                        logging.INFO if delay >= 1 else logging.DEBUG,
                        "waiting %.2fs for rate-limit budget",
                        delay,
                    )
                waited = True
                await self._sleep(delay, place)
            if waited:
                self.waits += 1
                self.waited += loop.time() - started
                if self._on_wait is not None:
                    try:
                        self._on_wait(loop.time() - started)
                    except Exception:  # a broken metrics hook must not stop requests
                        logger.exception("the on_rate_limit_wait hook failed")
            return self._take(loop.time())
        finally:
            self._line.leave(place)

    def _take(self, now: float) -> Ticket:
        """Spend one request of the budget and hand out its ticket."""
        if self._budget.known:
            self._budget.take(now)
        self._in_flight += 1
        self._acquired += 1
        return Ticket(self._released)

    async def _sleep(self, delay: float | None, place: Place) -> None:
        """Sleep ``delay`` seconds (None: until an answer), or less.

        An answer may change the picture, and a request that goes first may join the line.
        """
        self._changed.clear()
        changed = asyncio.ensure_future(self._changed.wait())
        overtaken = place.waiter()
        try:
            await asyncio.wait(
                (changed, overtaken), timeout=delay, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            changed.cancel()
            overtaken.cancel()

    async def _wait_needed(self, now: float) -> float | None:
        """Return seconds until the next request may go, or None while a probe is out.

        A shared budget (``SharedBudget``) overrides this to ask its common bucket first.
        """
        return self._local_delay(now)

    def _local_delay(self, now: float) -> float | None:
        """Return seconds until the next request may go by this process's own mirror.

        Until a response has reported the budget, one request at a time goes out as a probe:
        None while it is out.
        """
        if not self._budget.known and not self._unlimited and self._in_flight > 0:
            return None
        return self._delay(now)

    def _check_deadline(self, now: float, delay: float) -> None:
        deadline = _deadline.get()
        allowed = self._max_wait if deadline is None else min(self._max_wait, deadline - now)
        if delay > allowed:
            raise self._deadline_error(
                f"the request budget is used up and {delay:.1f} s of waiting would exceed "
                f"the {max(0.0, allowed):.1f} s allowed"
            )

    def _deadline_error(self, message: str) -> RateLimitError:
        return RateLimitError(
            status=429,
            code="rate_limit_exceeded",
            deadline_exceeded=True,
            reset=self._reset,
            message=message,
        )

    def release(
        self,
        rate_limit: RateLimit | None,
        *,
        sent_at: dt.datetime,
        throttled: bool = False,
        answered: bool = True,
        latency: float = 0.0,
        ticket: Ticket | None = None,
    ) -> None:
        """Account for a finished try and fold its headers into the budget.

        ``sent_at`` is the wall-clock time the try was sent, ``latency`` the seconds it took,
        ``ticket`` what its ``acquire`` returned (without one, only the requests still in flight
        count as overlapping it: answers that arrive out of order then mislead the mirror).
        """
        now = asyncio.get_running_loop().time()
        self._in_flight -= 1
        # Every other request sent so far, except those answered before this one left.
        overlapping = (
            self._in_flight if ticket is None else max(self._in_flight, self._acquired - 1 - ticket)
        )
        self._released += 1
        if throttled:
            self.throttled += 1
        if rate_limit is not None:
            self._reset = rate_limit.reset
            self._unlimited = False
            self._bare_429s = 0
            self._budget.observe(
                rate_limit,
                now=now,
                wall_now=sent_at,
                uncounted=overlapping,
                throttled=throttled,
                latency=latency,
            )
        elif throttled:
            # A 429 without headers (a proxy's): nothing to compute from, so back off blindly,
            # doubling per burst. The requests in flight when the first 429 came meet the same
            # limit: their 429s, arriving while the back-off holds, belong to that burst.
            if now >= self._blocked_until:
                self._bare_429s += 1
                wait = min(self._fallback_wait * 2 ** (self._bare_429s - 1), self._max_wait)
                self._blocked_until = now + wait
        elif answered:
            self._bare_429s = 0  # an answer that was not a 429: the next burst starts afresh
            if not self._budget.known:
                # The server answered without rate-limit headers: nothing to govern.
                self._unlimited = True
        self._changed.set()

    async def aclose(self) -> None:
        """Refuse further requests: those waiting for budget end with ``ClientClosedError``."""
        self._closed = True
        self._changed.set()
        self._line.wake_all()


class SharedBudget(Protocol):
    """A budget that several processes share, such as ``hetzner_async.redis_budget.RedisBudget``."""

    def governor(
        self,
        *,
        max_wait: float,
        fallback_wait: float,
        on_wait: Callable[[float], None] | None = None,
    ) -> Governor:
        """Return a governor for one client that draws from this budget."""
        ...
