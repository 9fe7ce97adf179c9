"""Learn how fast the API refills the request budget, from the ``RateLimit-*`` headers alone.

``RateLimit-Reset`` is when the bucket is full again, in the API's clock, so one reading gives
``missing / (reset - now)``. That needs the client's clock to agree with the API's: a client a few
seconds ahead sees the bucket fill up sooner than it will, and the estimate from a nearly full
bucket (small ``reset - now``) blows up. Two readings need no shared clock at all: between them
``reset`` moves by the time passed plus ``Δmissing / rate``, so the offset between the clocks
cancels out. That difference is what the estimate trusts once the readings are far enough apart.
https://docs.hetzner.cloud/reference/cloud#rate-limiting
"""

from __future__ import annotations

import math

import attrs

__all__ = ["RefillEstimate"]

#: Seconds of refill two readings must lie apart before their difference alone sets the rate.
#: ``RateLimit-Remaining`` is a whole number and ``RateLimit-Reset`` a whole second, so either end
#: of a difference is off by up to one: the bound used errs on the slow side, by at most about
#: 10 % from 10 s on.
TRUSTED_SPAN = 10.0


@attrs.define
class Reading:
    """One response's headers: requests missing from a full bucket, and when it will be full.

    ``full_at`` is the reset minus the client's monotonic time when the request was sent: the
    time to full plus an unknown constant (the offset between the clocks), so only differences
    between readings mean anything. The API computed the headers up to ``latency`` seconds
    after the request was sent.
    """

    missing: int
    full_at: float
    latency: float = 0.0


@attrs.define
class RefillEstimate:
    """The refill rate in requests per second, learned from readings. Pure: no clock, no I/O."""

    #: The best single-reading estimate, ``missing / (reset - now)``: a skewed clock spoils it.
    direct: float = 0.0
    #: The readings with the fewest and the most missing requests.
    fewest: Reading | None = None
    most: Reading | None = None
    #: What pairs of readings prove about the rate, whatever the clocks: at least ``lower``, at
    #: most ``upper``; ``span`` is the widest pair's seconds of refill.
    lower: float = 0.0
    upper: float = math.inf
    span: float = 0.0

    def observe(
        self,
        *,
        missing: int,
        until_full: float,
        full_at: float,
        throttled: bool,
        floor: float,
        latency: float = 0.0,
    ) -> float:
        """Fold one reading in; return the rate to use (never below ``floor``).

        ``until_full`` is ``reset`` minus the client's wall clock at sending; ``full_at`` is
        ``reset`` minus its monotonic clock at sending; ``latency`` is how long the request
        took to be answered.
        """
        if missing <= 0:
            return max(floor, self._rate())  # a full bucket says nothing of its refill
        if until_full > 0:
            # Remaining is rounded down, so up to one request fewer may be missing than it says:
            # count one fewer, or the estimate (the largest one, kept) promises too fast a refill.
            self._fold_direct((missing - 1) / until_full, throttled, floor)
        reading = Reading(missing, full_at, max(0.0, latency))
        for extreme in (self.fewest, self.most):
            if extreme is not None:
                self._bound(extreme, reading)
        if self.fewest is None or missing <= self.fewest.missing:
            self.fewest = reading
        if self.most is None or missing >= self.most.missing:
            self.most = reading
        return max(floor, self._rate())

    def _fold_direct(self, estimate: float, throttled: bool, floor: float) -> None:
        """Keep the best single-reading estimate: the largest, or after a 429 the latest.

        Without clock skew each reading underestimates (Reset is rounded up, the request was
        sent before the API read its bucket, and one fewer request is counted missing than the
        rounded-down Remaining says), so the largest is the closest. After a 429
        the latest wins, in case an earlier one was too generous. A skewed clock can make one
        reading promise far too much: the bounds that pairs of readings prove rein it in.
        """
        self.direct = max(floor, estimate) if throttled else max(self.direct, estimate)

    def _bound(self, a: Reading, b: Reading) -> None:
        """Narrow the bounds with what two readings prove, the clock offset cancelled out.

        Between them the bucket's time to full moved by ``gained / rate`` beyond the time that
        passed. Each count may be off by up to one (Remaining is rounded down, Reset up), and
        each reading was taken somewhere within its request's latency: the bounds allow for
        all of it, so each one holds, and the tightest of them all holds too.
        """
        early, late = (a, b) if a.missing <= b.missing else (b, a)
        gained = late.missing - early.missing
        span = late.full_at - early.full_at
        longest = span + 1 + early.latency  # the most refill time the two can be apart
        shortest = span - 1 - late.latency  # and the least
        if gained < 2 or longest <= 0:
            return  # too close to tell, or headers that contradict a token bucket
        self.lower = max(self.lower, (gained - 1) / longest)
        if shortest > 0:
            self.upper = min(self.upper, (gained + 1) / shortest)
        self.span = max(self.span, span)

    def _rate(self) -> float:
        """Trust the pairs once they span enough; until then, keep the direct guess within them."""
        if self.span >= TRUSTED_SPAN and self.lower > 0:
            return self.lower
        if self.upper < self.lower:
            return self.direct  # contradictory readings: no bounds from them
        return min(max(self.direct, self.lower), self.upper)
