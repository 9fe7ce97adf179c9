"""A mirror of the API's token bucket, kept from the ``RateLimit-*`` response headers.

Hetzner meters requests per project with a token bucket: ``RateLimit-Limit`` requests, refilled
gradually, full again at ``RateLimit-Reset`` (https://docs.hetzner.cloud/reference/cloud#rate-limiting).
``Budget`` is pure arithmetic on that bucket (no clock, no I/O); the governor drives it.
"""

from __future__ import annotations

import datetime as dt
import math

import attrs

from ._refill import RefillEstimate
from ._wire import RateLimit

__all__ = ["POLL_HORIZON", "UNLIMITED", "Budget", "Spare"]

#: The API states its limit per hour; the bucket refills at least this fast.
_WINDOW = 3600.0
#: What a client wins back of its share with each answer that is not a 429.
_SHARE_STEP = 0.01
#: 429s within this many (own) request intervals of a back-off belong to the same burst.
_BURST = 4.0
#: However much others spend, a client keeps at least this share of the refill.
_MIN_SHARE = 0.1
#: Seconds by which the client's clock may be ahead of the API's when it reads Reset.
_SKEW = 1.0
#: Fractions of a request below this are rounding, not budget.
_EPSILON = 1e-9
#: Seconds over which the requests in the bucket count as spare for background work (polls): a
#: full bucket of the API's 3600 lets polls go 60 times faster than the refill alone would.
POLL_HORIZON = 60.0


@attrs.frozen
class Spare:
    """What background work may spend of the budget."""

    #: Requests per second.
    rate: float
    #: 0 while the bucket is full (its reserve dwarfs the refill), 1 when it is empty (the
    #: refill is all there is): the closer to 1, the fuller each poll should be.
    scarcity: float


#: No rate limit known: spend freely.
UNLIMITED = Spare(rate=math.inf, scarcity=0.0)


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
    #: When the latest header says the bucket is full again (on the clock of ``now``), and the
    #: requests this client has spent since (or may have, unseen by that header).
    _full_by: float = attrs.field(default=math.inf, repr=False)
    _spent_since: int = attrs.field(default=0, repr=False)

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
        if now >= self._full_by:
            self.tokens = max(self.tokens, self._when_full())
        self.updated = now

    def _when_full(self) -> float:
        """Return the requests left by ``RateLimit-Reset``: all of its share, less those spent."""
        assert self.limit is not None
        return self.limit * self.share - self._spent_since

    def delay(self, now: float, needed: int = 1) -> float:
        """Return seconds until ``needed`` requests are available (0 if they are now).

        The refill rate says when; so does ``RateLimit-Reset``, when the bucket is full again:
        whichever comes first. (A tiny bucket that refills fast tells its rate only roughly, in
        whole requests over whole seconds, but it is full again within a second or two.)
        """
        self.refill(now)
        # Within rounding of a whole request counts as one: a wait of 1e-16 s never ends on a
        # clock that cannot represent it (and spins on one that can).
        if self.limit is None or self.tokens + _EPSILON >= needed:
            return 0.0
        wait = math.inf if self.own_rate <= 0 else (needed - self.tokens) / self.own_rate
        if self._when_full() + _EPSILON >= needed:
            wait = min(wait, max(0.0, self._full_by - now))
        return wait

    def spare(self, now: float, share: float) -> Spare:
        """Return what background work (polls) may spend: ``share`` of the budget, and how scarce.

        The budget is the refill this client counts on plus what is in the bucket, spread over
        ``POLL_HORIZON`` seconds: plentiful when the bucket is full, the refill's share alone
        when it is empty. Unlimited while no response has reported the budget.
        """
        if self.limit is None:
            return UNLIMITED
        self.refill(now)
        reserve = max(0.0, self.tokens) / POLL_HORIZON
        total = self.own_rate + reserve
        if total <= 0:
            return Spare(rate=0.0, scarcity=1.0)
        return Spare(rate=share * total, scarcity=self.own_rate / total)

    def take(self, now: float) -> None:
        """Spend one request."""
        self.refill(now)
        self.tokens -= 1
        self._spent_since += 1

    def observe(
        self,
        rate_limit: RateLimit,
        *,
        now: float,
        wall_now: dt.datetime,
        uncounted: int,
        throttled: bool,
        latency: float = 0.0,
    ) -> None:
        """Fold one response's headers into the mirror.

        ``now`` is when the answer came and ``wall_now`` when the request was sent, ``latency``
        seconds earlier (on the clock of ``now``). ``uncounted`` is how many other requests of
        this client the header may not count yet: every one sent before this answer came that
        was not answered before this request left (see ``Governor.release``).

        The headers are the truth at the moment the API read its bucket, but the requests that
        overlapped this one may or may not be counted in them. So the estimate is kept between
        the two readings: at most what the header says, and at least the header minus every
        request that may not be counted in it.
        """
        first_sight = rate_limit.limit != self.limit
        if first_sight:
            # First sight, or the project's limit changed: start over from the headers.
            self.limit = rate_limit.limit
            self.tokens = float(rate_limit.remaining)
            self.updated = now  # (the rate is set below, from this reading, before any refill)
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
        self.tokens = min(max(self.tokens, visible - uncounted), visible)
        self.updated = now
        # Full again at Reset (a second later, in case the clocks differ a little), less what
        # this client spends from now on and what the header may not count yet. A Reset that
        # has passed although requests are missing contradicts the header: clocks far apart.
        until_full = (rate_limit.reset - wall_now).total_seconds()
        self._full_by = now - latency + until_full + _SKEW if until_full > 0 else math.inf
        self._spent_since = uncounted

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
