"""The run's counters, fed by the client's hooks and the tasks, and the status line they make."""

from __future__ import annotations

import time

from hetzner_async import HetznerClient
from hetzner_async.hooks import RequestEvent


class Progress:
    """Counters fed by the client's hooks and by the provisioning tasks."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.phase = "starting"
        self.created = 0
        self.running = 0
        self.deleted = 0
        self.actions_pending = 0
        self.requests = 0
        self.throttled = 0
        self.retries = 0
        self.waits = 0
        self.waited = 0.0
        self.started = time.monotonic()

    def on_request(self, event: RequestEvent) -> None:
        """Count one try of one request (the client's ``on_request`` hook)."""
        self.requests += 1
        if event.status == 429:
            self.throttled += 1
        if event.attempt > 1:
            self.retries += 1

    def on_rate_limit_wait(self, seconds: float) -> None:
        """Count one request the client held back for budget (``on_rate_limit_wait``)."""
        self.waits += 1
        self.waited += seconds

    @property
    def elapsed(self) -> float:
        """Return the seconds since the run started."""
        return time.monotonic() - self.started

    def line(self, hz: HetznerClient) -> str:
        """Return the status line (without the clock), cut to fit ``STATUS_WIDTH`` columns."""
        budget = hz.rate_limit
        left = f"{budget.remaining}/{budget.limit}" if budget else "?"
        phase = SHORT_PHASES.get(self.phase, self.phase)
        if self.phase in ("deprovisioning", "done"):
            progress = f"{phase:<8} {self.deleted}/{self.created} deleted"
        else:
            progress = f"{phase:<8} {self.created}/{self.total} created, {self.running} up"
        # (priority, text) in display order; the lowest priorities go first when space runs out.
        fields = [
            (0, progress),
            (3, f"{self.actions_pending} actions"),
            (1, f"budget {left}"),
            (1, f"{self.requests} req, {self.throttled} 429s"),
            (2, f"{self.waits} paced"),
            (4, f"{self.retries} retries"),
        ]
        return fit(fields, STATUS_WIDTH - CLOCK_WIDTH)


#: The phases as the status line names them, in at most 8 columns.
SHORT_PHASES = {"provisioning": "creating", "deprovisioning": "deleting"}
#: Columns the status line may take, clock included: one less than an 80-column terminal,
#: whose last column would wrap the line and break redrawing it in place.
STATUS_WIDTH = 79
#: Columns of the clock in front of the status line (``"[ 12.3s] "``).
CLOCK_WIDTH = 10


def fit(fields: list[tuple[int, str]], width: int) -> str:
    """Join ``(priority, text)`` fields with ``" | "``, dropping the least useful until it fits."""
    kept = list(fields)
    while len(kept) > 1 and len(" | ".join(text for _, text in kept)) > width:
        kept.remove(max(reversed(kept), key=lambda field: field[0]))
    return " | ".join(text for _, text in kept)[:width]
