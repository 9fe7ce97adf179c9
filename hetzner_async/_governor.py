"""The rate-limit governor: one budget shared by every request of a client.

Hetzner meters requests per project with a token bucket: ``RateLimit-Limit`` requests, refilled
gradually, full again at ``RateLimit-Reset`` (https://docs.hetzner.cloud/reference/cloud#rate-limiting).
The governor mirrors that bucket from the headers of every response, hands budget to waiting
requests in the order they asked, paces them when it runs short, and after a 429 holds every
task until the budget is back, instead of letting each task back off on its own and collide again.

Several processes sharing one token converge through the same headers: each response tells every
client how much of the project's budget is left, whoever spent it.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import datetime as dt
import logging
import math
from collections.abc import Callable, Iterator
from typing import Protocol

import attrs

from ._refill import RefillEstimate
from ._wire import RateLimit
from .errors import ClientClosedError, RateLimitError

__all__ = ["Budget", "Governor", "SharedBudget", "rate_limit_deadline"]

#: The API states its limit per hour; the bucket refills at least this fast.
_WINDOW = 3600.0
#: What a client wins back of its share with each answer that is not a 429.
_SHARE_STEP = 0.01
#: 429s within this many (own) request intervals of a back-off belong to the same burst.
_BURST = 4.0
#: However much others spend, a client keeps at least this share of the refill.
_MIN_SHARE = 0.1
#: Fractions of a request below this are rounding, not budget.
_EPSILON = 1e-9

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


@attrs.define
class Budget:
    """A mirror of the API's token bucket, kept from response headers. Pure: no clock, no I/O.

    ``now`` arguments are seconds on one monotonic clock (the event loop's).
    """

    limit: int | None = None
    tokens: float = 0.0
    #: Requests the project regains per second.
    rate: float = 0.0
    updated: float = 0.0
    #: The fraction of the project's budget this client counts on: 1 when alone. Halved when a
    #: 429 shows that others spend from the same bucket, won back a little with each answer
    #: that was not a 429 (additive increase, multiplicative decrease, as TCP shares a link).
    share: float = 1.0
    _backed_off: float = attrs.field(default=-math.inf, repr=False)
    _estimate: RefillEstimate = attrs.field(factory=RefillEstimate, repr=False)

    @property
    def own_rate(self) -> float:
        """Return the part of the refill this client counts on."""
        return self.rate * self.share

    @property
    def rate_learned(self) -> bool:
        """Tell whether ``rate`` comes from the headers, not from the hourly floor alone."""
        return self._estimate.most is not None

    @property
    def known(self) -> bool:
        """Tell whether any response has reported the budget yet."""
        return self.limit is not None

    def refill(self, now: float) -> None:
        """Add what has trickled back since the last update, up to the limit."""
        if self.limit is None:
            return
        earned = max(0.0, now - self.updated) * self.own_rate
        self.tokens = min(float(self.limit), self.tokens + earned)
        self.updated = now

    def delay(self, now: float, needed: int = 1) -> float:
        """Return seconds until ``needed`` requests are available (0 if they are now)."""
        self.refill(now)
        # Within rounding of a whole request counts as one: a wait of 1e-16 s never ends on a
        # clock that cannot represent it (and spins on one that can).
        if self.limit is None or self.tokens + _EPSILON >= needed:
            return 0.0
        if self.own_rate <= 0:
            return math.inf
        return (needed - self.tokens) / self.own_rate

    def take(self, now: float) -> None:
        """Spend one request."""
        self.refill(now)
        self.tokens -= 1

    def observe(
        self,
        rate_limit: RateLimit,
        *,
        now: float,
        wall_now: dt.datetime,
        others_in_flight: int,
        throttled: bool,
        latency: float = 0.0,
    ) -> None:
        """Fold one response's headers into the mirror.

        ``now`` is when the answer came and ``wall_now`` when the request was sent, ``latency``
        seconds earlier (on the clock of ``now``).

        The headers are the truth at the moment the API answered, but requests still in flight
        may or may not be counted in them yet. So the estimate is kept between the two readings:
        at most what the header says, and at least the header minus everything still in flight.
        """
        first_sight = rate_limit.limit != self.limit
        if first_sight:
            # First sight, or the project's limit changed: start over from the headers.
            self.limit = rate_limit.limit
            self.tokens = float(rate_limit.remaining)
            self.rate = rate_limit.limit / _WINDOW
            self.updated = now
            self._estimate = RefillEstimate()
        self.refill(now)
        self._learn_rate(rate_limit, now - latency, wall_now, throttled, latency)
        # A 429 proves the bucket was empty, whatever Remaining says (a gateway's count, or one
        # the API computed before others spent): trusting it would retry in a hot loop. So wait
        # at least until the next request refills.
        header = 0.0 if throttled else float(rate_limit.remaining)
        # This client's own requests are already deducted, so budget missing beyond them was
        # spent by someone else on the same project: learn how fast, and leave them that share.
        if not first_sight:  # a 429 before the mirror knew anything says nothing of others
            self._adjust_share(now, throttled)
        # With others spending too, count on a share of what is left, not all of it: two
        # clients that each believed the whole header would race for every refilled request.
        visible = header * self.share
        self.tokens = min(max(self.tokens, visible - others_in_flight), visible)
        self.updated = now

    def _adjust_share(self, now: float, throttled: bool) -> None:
        """Halve the share on a 429 (once per burst of them), else win a little of it back.

        This client only sends when its mirror says budget is left, so a 429 means someone else
        spent it. The requests already in flight when the first 429 came will meet the same
        empty bucket: their 429s are one event, not many.
        """
        if not throttled:
            self.share = min(1.0, self.share + _SHARE_STEP)
        elif now - self._backed_off > _BURST / max(self.own_rate, 1e-9) or self.share == 1.0:
            self.share = max(_MIN_SHARE, self.share / 2)
            self._backed_off = now

    def _learn_rate(
        self,
        rate_limit: RateLimit,
        sent: float,
        wall_sent: dt.datetime,
        throttled: bool,
        latency: float,
    ) -> None:
        """Refine the refill rate from how far the bucket is from full and when it will be.

        A single reading needs the client's clock to agree with the API's; two readings far
        enough apart do not, and then they decide, up or down (see ``_refill``).
        """
        assert self.limit is not None
        self.rate = self._estimate.observe(
            missing=rate_limit.limit - rate_limit.remaining,
            until_full=(rate_limit.reset - wall_sent).total_seconds(),
            full_at=rate_limit.reset.timestamp() - sent,
            throttled=throttled,
            floor=self.limit / _WINDOW,
            latency=latency,
        )


class Governor:
    """Hand out the shared budget to requests, first come first served.

    ``acquire`` before each try and ``release`` after it; a try that received headers reports them
    through ``release``. Until the first response has reported the budget, one request at a time
    goes out as a probe, so a burst of hundreds of tasks at start-up cannot overdraw the bucket.
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
        self._lock = asyncio.Lock()  # FIFO: waiting requests are served in order
        self._changed = asyncio.Event()
        self._in_flight = 0
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

    def _delay(self, now: float) -> float:
        blocked = max(0.0, self._blocked_until - now)
        if self._unlimited and blocked == 0.0:
            return 0.0
        return max(blocked, self._budget.delay(now))

    async def acquire(self) -> None:
        """Wait until this request may go out; raise ``RateLimitError`` past the deadline.

        The caller's ``rate_limit_deadline`` bounds all of the wait, in the queue behind other
        requests too: a wait for budget that would end past it raises at once, and a queue that
        does not move in time raises when the deadline comes.
        """
        deadline = _deadline.get()
        if deadline is None:
            await self._acquire()
            return
        loop = asyncio.get_running_loop()
        entered = loop.time()
        try:
            async with asyncio.timeout_at(deadline) as scope:
                await self._acquire()
        except TimeoutError:
            if not scope.expired():
                raise
            raise self._deadline_error(
                f"the request budget is used up and the {loop.time() - entered:.1f} s waited "
                "in the queue reached the deadline"
            ) from None

    async def _acquire(self) -> None:
        """Queue for the lock, then wait until the budget allows one more request."""
        loop = asyncio.get_running_loop()
        async with self._lock:
            waited = False
            started = loop.time()
            while True:
                if self._closed:
                    raise ClientClosedError()
                delay = await self._wait_needed(loop.time())
                if delay is None:
                    # A probe is out; its answer will say how much budget there is.
                    self._changed.clear()
                    await self._changed.wait()
                    continue
                if delay <= 0:
                    break
                self._check_deadline(loop.time(), delay)
                if not waited:
                    logger.log(
                        logging.INFO if delay >= 1 else logging.DEBUG,
                        "waiting %.2fs for rate-limit budget",
                        delay,
                    )
                waited = True
                self._changed.clear()
                # Sleep for the computed time, or less if a response changes the picture.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), delay)
            if waited:
                self.waits += 1
                self.waited += loop.time() - started
                if self._on_wait is not None:
                    try:
                        self._on_wait(loop.time() - started)
                    except Exception:  # a broken metrics hook must not stop requests
                        logger.exception("the on_rate_limit_wait hook failed")
            if self._budget.known:
                self._budget.take(loop.time())
            self._in_flight += 1

    async def _wait_needed(self, now: float) -> float | None:
        """Return seconds until the next request may go, or None while a probe is out.

        Until a response has reported the budget, one request at a time goes out as a probe.
        A shared budget (``SharedBudget``) overrides this to ask its common bucket first.
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
    ) -> None:
        """Account for a finished try and fold its headers into the budget.

        ``sent_at`` is the wall-clock time the try was sent, ``latency`` the seconds it took.
        """
        now = asyncio.get_running_loop().time()
        self._in_flight -= 1
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
                others_in_flight=self._in_flight,
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
