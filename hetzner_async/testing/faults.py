"""Faults that tests inject into the fake: errors, latency, dropped connections, broken bodies."""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from .admin_fields import FAULT_FIELDS, check_fields

__all__ = ["Fault", "FaultKind", "FaultRegistry"]


class FaultKind(StrEnum):
    """What an injected fault does to a request."""

    #: Answer with ``status`` (and ``code`` in the error envelope, or a plain HTML page).
    ERROR = "error"
    #: Wait ``delay`` seconds (or a random time up to ``delay_max``) before handling.
    LATENCY = "latency"
    #: Close the connection without touching the state.
    DROP_BEFORE = "drop_before"
    #: Apply the request's effect, then close the connection without a response.
    DROP_AFTER = "drop_after"
    #: Never answer: wait ``delay`` seconds (0 = until the fake stops), then close.
    HANG = "hang"
    #: Apply the request, then send the body in pieces spread over ``delay`` seconds.
    SLOW = "slow"
    #: Apply the request, then send half the body under the full Content-Length and close.
    TRUNCATE = "truncate"
    #: Apply the request, then answer with a body that is not valid JSON.
    MALFORMED = "malformed"


@dataclass
class Fault:
    """One programmed fault, matched by method and route template (``None`` matches any)."""

    kind: FaultKind
    method: str | None = None
    path: str | None = None
    status: int = 503
    code: str = "unavailable"
    message: str = "injected fault"
    envelope: bool = True
    delay: float = 0.0
    delay_max: float | None = None
    #: How many requests it hits before it is used up; ``None`` = forever.
    times: int | None = 1
    #: Chance that a matching request is hit (drawn from the registry's seeded generator).
    probability: float = 1.0
    id: int = 0
    hits: int = field(default=0)

    def __post_init__(self) -> None:
        self.kind = FaultKind(self.kind)
        if self.method is not None:
            self.method = self.method.upper()
        if self.path is not None and self.path.startswith("/v1/"):
            self.path = self.path[3:]
        if not 0.0 <= self.probability <= 1.0:
            raise ValueError("probability must be within [0, 1]")
        if self.times is not None and self.times < 1:
            raise ValueError("times must be at least 1 (or None for forever)")

    def matches(self, method: str, template: str | None) -> bool:
        """Tell whether this fault applies to a request on a route template."""
        if self.method is not None and self.method != method.upper():
            return False
        return self.path is None or self.path == template

    @property
    def exhausted(self) -> bool:
        """Tell whether the fault has hit as often as it was allowed to."""
        return self.times is not None and self.hits >= self.times

    def to_json(self) -> dict[str, Any]:
        """Return the fault as a JSON object."""
        data = asdict(self)
        data["kind"] = str(self.kind)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Fault:
        """Build a fault from a JSON object (``InvalidField`` names a bad or unknown field)."""
        return cls(**check_fields(data, FAULT_FIELDS))


class FaultRegistry:
    """The active faults and the seeded random generator that decides probabilistic hits."""

    def __init__(self, seed: int | None = 0) -> None:
        self.rng = random.Random(seed)
        self.faults: list[Fault] = []
        self._next_id = 1

    def add(self, fault: Fault) -> Fault:
        """Activate a fault and return it (with its id)."""
        fault.id = self._next_id
        self._next_id += 1
        self.faults.append(fault)
        return fault

    def remove(self, fault_id: int) -> None:
        """Deactivate one fault."""
        self.faults = [f for f in self.faults if f.id != fault_id]

    def clear(self) -> None:
        """Deactivate every fault (the counters stay)."""
        self.faults.clear()

    def _hit(self, fault: Fault) -> bool:
        if fault.probability < 1.0 and self.rng.random() >= fault.probability:
            return False
        fault.hits += 1
        if fault.exhausted:
            self.faults.remove(fault)
        return True

    def select(self, method: str, template: str | None) -> tuple[list[Fault], Fault | None]:
        """Return the latency faults and the (first) other fault that hit this request."""
        latencies: list[Fault] = []
        other: Fault | None = None
        for fault in list(self.faults):
            if not fault.matches(method, template):
                continue
            if fault.kind is FaultKind.LATENCY:
                if self._hit(fault):
                    latencies.append(fault)
            elif other is None and self._hit(fault):
                other = fault
        return latencies, other

    def delay_of(self, fault: Fault) -> float:
        """Return how long a latency, slow or hang fault waits."""
        if fault.delay_max is not None and fault.delay_max > fault.delay:
            return self.rng.uniform(fault.delay, fault.delay_max)
        return fault.delay
