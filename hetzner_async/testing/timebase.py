"""One time base for the fake: a monotonic clock, and wall-clock times derived from it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

__all__ = ["Timebase"]


class Timebase:
    """Read the injectable monotonic clock; map its readings to UNIX time and RFC 3339."""

    def __init__(self, clock: Callable[[], float], wall_clock: Callable[[], float]) -> None:
        self.clock = clock
        self._mono0 = clock()
        self._wall0 = wall_clock()

    def now(self) -> float:
        """Return monotonic seconds."""
        return self.clock()

    def wall(self, mono: float | None = None) -> float:
        """Return the UNIX time of a monotonic reading (default: now)."""
        reading = self.clock() if mono is None else mono
        return self._wall0 + (reading - self._mono0)

    def iso(self, mono: float | None = None) -> str:
        """Return the RFC 3339 timestamp of a monotonic reading (default: now)."""
        stamp = dt.datetime.fromtimestamp(self.wall(mono), dt.UTC)
        return stamp.isoformat(timespec="seconds")
