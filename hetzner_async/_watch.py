"""What the transport tells the outside about each try: log lines, the metrics hook, warnings.

Kept apart from the door itself (``_transport``) so that sending a request and describing it can
change independently; nothing here does I/O beyond logging and calling the user's hook.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Mapping

from ._wire import RateLimit, correlation_id, path_template
from .hooks import RequestEvent, RequestHook

__all__ = ["WARNING_CAP", "WARNING_SHARE", "Watch", "warning_threshold"]

logger = logging.getLogger("hetzner_async")

#: By default, warn when less than this share of the limit is left...
WARNING_SHARE = 0.1
#: ...or less than this many requests, whichever is smaller.
WARNING_CAP = 100


def warning_threshold(limit: int) -> int:
    """Return the default low-budget threshold: 10 % of the limit, at most 100 requests.

    A bucket of 60 then warns below 6 left, not on its first answer (59 < 100); the API's 3600
    below 100, as before.
    """
    return min(WARNING_CAP, math.ceil(limit * WARNING_SHARE))


class Watch:
    """Describe the tries of one transport and keep the budget its latest answer reported."""

    def __init__(self, *, on_request: RequestHook | None, rate_limit_warning: int | None) -> None:
        self._on_request = on_request
        #: Warn below this many requests left; None: ``warning_threshold(limit)``.
        self._warning = rate_limit_warning
        self._low_budget_warned = False
        self._unreadable_warned = False
        #: The budget of the latest response that carried readable rate-limit headers.
        self.rate_limit: RateLimit | None = None

    def record_rate_limit(self, headers: Mapping[str, str]) -> RateLimit | None:
        """Keep the budget of the latest response; warn once each time it dips low."""
        rate_limit = RateLimit.from_headers(headers)
        if rate_limit is None:
            self._warn_unreadable(headers)
            return None
        self.rate_limit = rate_limit
        threshold = self._warning
        if threshold is None:
            threshold = warning_threshold(rate_limit.limit)
        if rate_limit.remaining < threshold and not self._low_budget_warned:
            self._low_budget_warned = True
            logger.warning(
                "rate-limit budget is low: %d of %d requests left (full again at %s)",
                rate_limit.remaining,
                rate_limit.limit,
                rate_limit.reset.isoformat(),
            )
        elif rate_limit.remaining >= threshold:
            self._low_budget_warned = False
        return rate_limit

    def _warn_unreadable(self, headers: Mapping[str, str]) -> None:
        """Say once that rate-limit headers came but could not be read (so are ignored)."""
        sent = {k: v for k, v in headers.items() if k.lower().startswith("ratelimit-")}
        if sent and not self._unreadable_warned:
            self._unreadable_warned = True
            logger.warning("ignoring rate-limit headers that cannot be read: %s", sent)

    def report(
        self,
        method: str,
        path: str,
        attempt: int,
        started: float,
        status: int | None,
        headers: Mapping[str, str] | None,
        error: str | None,
    ) -> None:
        """Log one DEBUG line per try and hand the same facts to the metrics hook.

        ``attempt`` counts tries from 1; ``started`` is the try's ``time.monotonic()``; a try
        that got no answer has no ``status`` and no ``headers``; ``error`` names its failure.
        """
        if self._on_request is None and not logger.isEnabledFor(logging.DEBUG):
            return  # the hot path: nobody is listening
        event = RequestEvent(
            method=method,
            path_template=path_template(path),
            status=status,
            duration=time.monotonic() - started,
            attempt=attempt,
            correlation_id=None if headers is None else correlation_id(headers),
            remaining=None
            if headers is None or self.rate_limit is None
            else self.rate_limit.remaining,
            error=error,
        )
        logger.debug(
            "%s %s -> %s in %.3fs (try %d, correlation id %s, budget %s%s)",
            method,
            path,
            status if status is not None else "no response",
            event.duration,
            event.attempt,
            event.correlation_id,
            event.remaining if event.remaining is not None else "?",
            f", {error}" if error else "",
        )
        if self._on_request is not None:
            try:
                self._on_request(event)
            except Exception:  # a broken metrics hook must not break provisioning
                logger.exception("the on_request hook failed")
