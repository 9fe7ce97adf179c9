"""Configuration of the fake Hetzner Cloud, and a clock that tests can move by hand."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .stats import ResponseRecord

__all__ = ["FakeConfig", "ManualClock"]


@dataclass
class FakeConfig:
    """Settings of one fake Hetzner Cloud; every field has a realistic default."""

    #: The API token the fake accepts (``Authorization: Bearer <token>``).
    token: str = "fake-hetzner-token"
    #: Further tokens accepted for the same project; each gets its own rate-limit bucket.
    extra_tokens: tuple[str, ...] = ()
    #: Seconds an action runs before it ends (progress rises linearly meanwhile).
    action_duration: float = 1.0
    #: Per-command overrides of ``action_duration``, e.g. ``{"create_server": 2.0}``.
    action_durations: Mapping[str, float] = field(default_factory=dict)
    #: Size of each token's bucket (``RateLimit-Limit``); ``None`` disables rate limiting.
    rate_limit: int | None = 3600
    #: Tokens added to a bucket per second.
    rate_limit_refill: float = 1.0
    #: Seconds of latency added to every ``/v1`` request; a range when ``latency_max`` is set.
    latency: float = 0.0
    #: Upper bound of a random latency in ``[latency, latency_max]``.
    latency_max: float | None = None
    #: Seed of the random generator behind probabilistic faults and random latency.
    seed: int | None = 0
    #: Largest ``per_page`` the list endpoints honour (larger values are clamped).
    max_per_page: int = 50
    #: Monotonic seconds; drives action progress and bucket refill.
    clock: Callable[[], float] = time.monotonic
    #: UNIX seconds; read once at start, then advanced by ``clock`` for timestamps and headers.
    wall_clock: Callable[[], float] = time.time
    #: Called with every ``/v1`` response the fake sends (tests validate them against the spec).
    on_response: Callable[[ResponseRecord], None] | None = None

    def duration_of(self, command: str) -> float:
        """Return how long an action with this command runs."""
        return float(self.action_durations.get(command, self.action_duration))

    def accepts(self, token: str) -> bool:
        """Tell whether ``token`` is a valid API token for this fake."""
        return token == self.token or token in self.extra_tokens

    def with_overrides(self, **overrides: Any) -> FakeConfig:
        """Return a copy with some fields replaced."""
        values = {name: getattr(self, name) for name in self.__dataclass_fields__}
        values.update(overrides)
        return FakeConfig(**values)


class ManualClock:
    """A monotonic clock that only moves when told to (``advance``)."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = float(start)

    def __call__(self) -> float:
        """Return the current time in seconds."""
        return self.now

    def advance(self, seconds: float) -> None:
        """Move the clock forward."""
        if seconds < 0:
            raise ValueError("a clock does not run backwards")
        self.now += seconds
