"""A fake Hetzner Cloud API served over loopback HTTP, for tests, benchmarks and demos.

``async with FakeHetznerCloud(FakeConfig(action_duration=0.05)) as fake:`` serves ``/v1`` on
``fake.url`` and accepts ``fake.token``. Names are imported lazily so that the pytest plugin,
which lives in this package, loads without importing aiohttp.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .config import FakeConfig, ManualClock
    from .errors import ApiError
    from .faults import Fault, FaultKind
    from .labels import LabelSelector, LabelSelectorError, parse_selector
    from .ratelimit import RateLimiter, RateLimitStatus, TokenBucket
    from .server import FakeHetznerCloud
    from .state import FakeState
    from .stats import ResponseRecord, Stats

__all__ = [
    "ApiError",
    "FakeConfig",
    "FakeHetznerCloud",
    "FakeState",
    "Fault",
    "FaultKind",
    "LabelSelector",
    "LabelSelectorError",
    "ManualClock",
    "RateLimitStatus",
    "RateLimiter",
    "ResponseRecord",
    "Stats",
    "TokenBucket",
    "parse_selector",
]

_HOMES = {
    "ApiError": "errors",
    "FakeConfig": "config",
    "FakeHetznerCloud": "server",
    "FakeState": "state",
    "Fault": "faults",
    "FaultKind": "faults",
    "LabelSelector": "labels",
    "LabelSelectorError": "labels",
    "ManualClock": "config",
    "RateLimitStatus": "ratelimit",
    "RateLimiter": "ratelimit",
    "ResponseRecord": "stats",
    "Stats": "stats",
    "TokenBucket": "ratelimit",
    "parse_selector": "labels",
}


def __getattr__(name: str) -> Any:
    """Import a public name on first use."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """List the public names."""
    return sorted(__all__)
