"""What the fake counts and reports: requests per route and status, 429s and faults."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .faults import Fault

__all__ = ["ResponseRecord", "Stats"]


@dataclass(frozen=True)
class ResponseRecord:
    """One ``/v1`` response as the fake meant to send it (before any body-breaking fault)."""

    method: str
    path: str
    template: str | None
    status: int
    headers: dict[str, str]
    body: Any
    fault: Fault | None = None


@dataclass
class Stats:
    """Counters of the requests the fake has served."""

    requests: Counter[tuple[str, str, int]] = field(default_factory=Counter)
    rate_limited: int = 0
    faults: Counter[str] = field(default_factory=Counter)

    def record(self, method: str, template: str | None, status: int) -> None:
        """Count one request."""
        self.requests[(method, template or "<unknown>", status)] += 1

    def count(
        self, method: str | None = None, path: str | None = None, status: int | None = None
    ) -> int:
        """Sum the requests matching a method, a route template and a status (``None`` = any)."""
        return sum(
            n
            for (m, p, s), n in self.requests.items()
            if (method is None or m == method.upper())
            and (path is None or p == path)
            and (status is None or s == status)
        )

    @property
    def total(self) -> int:
        """Return the number of requests served."""
        return sum(self.requests.values())

    def to_json(self) -> dict[str, Any]:
        """Return the counters as a JSON object."""
        return {
            "total": self.total,
            "rate_limited": self.rate_limited,
            "faults": dict(self.faults),
            "faults_total": sum(self.faults.values()),
            "requests": [
                {"method": m, "path": p, "status": s, "count": n}
                for (m, p, s), n in sorted(self.requests.items())
            ],
        }

    def clear(self) -> None:
        """Reset every counter."""
        self.requests.clear()
        self.rate_limited = 0
        self.faults.clear()
