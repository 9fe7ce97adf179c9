"""Everything one fake instance holds: config, clock, state, rate limiter, faults and counters."""

from __future__ import annotations

import asyncio
import random

from aiohttp import web

from .config import FakeConfig
from .core import Registry
from .faults import FaultRegistry
from .ratelimit import RateLimiter
from .resources import default_registry
from .state import FakeState
from .stats import Stats
from .timebase import Timebase

__all__ = ["BACKEND", "Backend"]


class Backend:
    """The fake's moving parts, shared by the HTTP app and the Python API."""

    def __init__(self, config: FakeConfig, registry: Registry | None = None) -> None:
        self.config = config
        #: The resource modules served (their kinds, routes and hooks).
        self.registry = registry or default_registry()
        self.timebase = Timebase(config.clock, config.wall_clock)
        self.rng = random.Random(config.seed)
        self.faults = FaultRegistry(config.seed)
        self.stats = Stats()
        self.limiter = RateLimiter(
            config.rate_limit, config.rate_limit_refill, config.clock, self.timebase.wall
        )
        self.state = self._new_state()
        self.closing = asyncio.Event()
        #: Exceptions raised inside handlers or the ``on_response`` hook (tests assert none).
        self.internal_errors: list[BaseException] = []

    def _new_state(self) -> FakeState:
        return FakeState(
            self.timebase,
            self.config.duration_of,
            max_per_page=self.config.max_per_page,
            registry=self.registry,
        )

    def reset(self) -> None:
        """Empty the project, forget faults, counters and buckets."""
        self.state = self._new_state()
        self.faults = FaultRegistry(self.config.seed)
        self.stats.clear()
        self.limiter.reset()

    def latency(self) -> float:
        """Return the configured base latency of one request."""
        low, high = self.config.latency, self.config.latency_max
        if high is not None and high > low:
            return self.rng.uniform(low, high)
        return low


BACKEND = web.AppKey("backend", Backend)
