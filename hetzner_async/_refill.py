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

    ``full_at`` is the reset on the client's monotonic clock plus an unknown constant (the
    offset between the clocks), so only differences between readings mean anything.
    """

    missing: int
    full_at: float


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
        self, *, missing: int, until_full: float, full_at: float, throttled: bool, floor: float
    ) -> float:
        """Fold one reading in; return the rate to use (never below ``floor``).

        ``until_full`` is ``reset - now`` on the client's wall clock; ``full_at`` is ``reset``
        minus the client's monotonic time.
        """
        if missing <= 0:
            return max(floor, self._rate())  # a full bucket says nothing of its refill
        if until_full > 0:
            self._fold_direct(missing / until_full, missing, throttled, floor)
        reading = Reading(missing, full_at)
        for extreme in (self.fewest, self.most):
            if extreme is not None:
                self._bound(extreme, reading)
        if self.fewest is None or missing <= self.fewest.missing:
            self.fewest = reading
        if self.most is None or missing >= self.most.missing:
            self.most = reading
        return max(floor, self._rate())

    def _fold_direct(self, estimate: float, missing: int, throttled: bool, floor: float) -> None:
        """Keep the single-reading estimate from the emptiest bucket seen.

        A clock offset of a few seconds matters least when the bucket is far from full, so a
        reading with more missing requests replaces the estimate, up or down. Among readings
        equally far from full, the largest estimate is the closest (Reset is rounded up). After
        a 429 the latest reading wins, in case an earlier one was too generous.
        """
        if throttled:
            self.direct = max(floor, estimate)
        elif self.most is None or missing > self.most.missing:
            self.direct = estimate
        elif missing == self.most.missing:
            self.direct = max(self.direct, estimate)

    def _bound(self, a: Reading, b: Reading) -> None:
        """Narrow the bounds with what two readings prove, the clock offset cancelled out.

        Between them the bucket's time to full moved by ``gained / rate`` beyond the time that
        passed. Either count may be off by up to one whole request or second.
        """
        early, late = (a, b) if a.missing <= b.missing else (b, a)
        gained = late.missing - early.missing
        span = late.full_at - early.full_at
        if gained < 2 or span + 1 <= 0:
            return  # too close to tell, or headers that contradict a token bucket
        self.lower = max(self.lower, (gained - 1) / (span + 1))
        if span > 1:
            self.upper = min(self.upper, (gained + 1) / (span - 1))
        self.span = max(self.span, span)

    def _rate(self) -> float:
        """Trust the pairs once they span enough; until then, keep the direct guess within them."""
        if self.span >= TRUSTED_SPAN and self.lower > 0:
            return self.lower
        if self.upper < self.lower:
            return self.direct  # contradictory readings: no bounds from them
        return min(max(self.direct, self.lower), self.upper)
