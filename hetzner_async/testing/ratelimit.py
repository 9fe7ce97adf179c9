"""The rate limit as the Hetzner Cloud API applies it: one token bucket per API token.

https://docs.hetzner.cloud/reference/cloud#rate-limiting: ``RateLimit-Reset`` is the UNIX time
at which the bucket is *full* again, not when the next request is allowed.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["RateLimitStatus", "RateLimiter", "TokenBucket"]

_EPSILON = 1e-9


@dataclass
class TokenBucket:
    """A bucket of ``limit`` tokens that refills at ``refill_per_second``."""

    limit: int
    refill_per_second: float
    tokens: float
    updated: float

    @classmethod
    def full(cls, limit: int, refill_per_second: float, now: float) -> TokenBucket:
        """Return a full bucket as of ``now`` (monotonic seconds)."""
        if limit < 1 or refill_per_second <= 0:
            raise ValueError("a bucket needs limit >= 1 and a positive refill rate")
        return cls(limit, refill_per_second, float(limit), now)

    def refill(self, now: float) -> None:
        """Add the tokens earned since the last update."""
        if now > self.updated:
            earned = (now - self.updated) * self.refill_per_second
            self.tokens = min(float(self.limit), self.tokens + earned)
            self.updated = now

    def try_acquire(self, now: float, cost: int = 1) -> bool:
        """Take ``cost`` tokens if the bucket holds them; take nothing otherwise."""
        self.refill(now)
        if self.tokens + _EPSILON >= cost:
            self.tokens = max(0.0, self.tokens - cost)
            return True
        return False

    def remaining(self, now: float) -> int:
        """Return the whole tokens left."""
        self.refill(now)
        return math.floor(self.tokens + _EPSILON)

    def seconds_until_full(self, now: float) -> float:
        """Return how long the bucket needs to be full again."""
        self.refill(now)
        missing = max(0.0, self.limit - self.tokens)
        return 0.0 if missing < _EPSILON else missing / self.refill_per_second


@dataclass(frozen=True)
class RateLimitStatus:
    """The outcome of one request's check, and its ``RateLimit-*`` headers."""

    allowed: bool
    limit: int
    remaining: int
    reset: int

    def headers(self) -> dict[str, str]:
        """Return the ``RateLimit-Limit``, ``-Remaining`` and ``-Reset`` headers."""
        return {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset),
        }


class RateLimiter:
    """Buckets keyed by API token; ``limit=None`` disables limiting."""

    def __init__(
        self,
        limit: int | None,
        refill_per_second: float,
        clock: Callable[[], float],
        wall_clock: Callable[[], float],
    ) -> None:
        self.limit = limit
        self.refill_per_second = refill_per_second
        self._clock = clock
        self._wall = wall_clock
        self.buckets: dict[str, TokenBucket] = {}

    @property
    def enabled(self) -> bool:
        """Tell whether requests are limited at all."""
        return self.limit is not None

    def bucket(self, key: str) -> TokenBucket:
        """Return the bucket of one token, creating a full one on first use."""
        if self.limit is None:
            raise RuntimeError("rate limiting is disabled")
        bucket = self.buckets.get(key)
        if bucket is None:
            bucket = TokenBucket.full(self.limit, self.refill_per_second, self._clock())
            self.buckets[key] = bucket
        return bucket

    def check(self, key: str) -> RateLimitStatus | None:
        """Charge one request to ``key``'s bucket; ``None`` when limiting is disabled."""
        if self.limit is None:
            return None
        now = self._clock()
        bucket = self.bucket(key)
        allowed = bucket.try_acquire(now)
        reset = math.ceil(self._wall() + bucket.seconds_until_full(now) - _EPSILON)
        return RateLimitStatus(allowed, bucket.limit, bucket.remaining(now), reset)

    def reset(self) -> None:
        """Forget every bucket (all are full again)."""
        self.buckets.clear()
