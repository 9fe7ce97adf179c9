"""The query of a metrics request: which series, over which period, at which resolution.

Servers and load balancers answer ``GET /<resource>/{id}/metrics`` the same way
(https://docs.hetzner.cloud/reference/cloud#server-metrics): ``type`` once per kind of metric,
``start`` and ``end`` in RFC 3339, and ``step`` in seconds.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Sequence

from .errors import ValidationError

__all__ = ["metrics_query", "rfc3339"]


def rfc3339(field: str, moment: dt.datetime) -> str:
    """Write an aware datetime as RFC 3339 in UTC to the second (``2017-01-01T00:00:00Z``)."""
    if not isinstance(moment, dt.datetime):
        raise ValidationError(field, f"must be a datetime, got {type(moment).__name__}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        # A naive datetime would silently mean local time to us and UTC to nobody.
        raise ValidationError(field, "must be timezone-aware (e.g. datetime.now(UTC))")
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def metrics_query(
    type: str | Sequence[str],
    start: dt.datetime,
    end: dt.datetime,
    step: float | None,
    *,
    allowed: Collection[str],
) -> list[tuple[str, str]]:
    """Return the query pairs of a metrics request, checked before anything is sent."""
    kinds = [type] if isinstance(type, str) else list(type)
    if not kinds:
        raise ValidationError("type", f"name at least one of {sorted(allowed)}")
    for kind in kinds:
        if kind not in allowed:
            raise ValidationError("type", f"must be among {sorted(allowed)}, not {kind!r}")
    pairs = [("type", kind) for kind in dict.fromkeys(kinds)]
    pairs += [("start", rfc3339("start", start)), ("end", rfc3339("end", end))]
    if start >= end:
        raise ValidationError("end", "must be after start")
    if step is not None:
        if isinstance(step, bool) or not isinstance(step, int | float) or not step > 0:
            raise ValidationError("step", f"must be a positive number of seconds, got {step!r}")
        if not math.isfinite(step):
            raise ValidationError("step", "must be finite")
        # Seconds as the API's string: 60.0 goes out as "60", not "60.0".
        pairs.append(("step", str(int(step)) if float(step).is_integer() else str(step)))
    return pairs
