"""``GET /load_balancers/{id}/metrics``: deterministic, plausible time series.

The values follow a daily curve with a little noise, all computed from the load balancer's id,
the series and the sample's time, so the same request always answers the same numbers. A load
balancer without services carries no traffic (all zeros). As the API does, the fake picks a
step for about 200 samples when none is given, and never answers more than 500 samples:
https://docs.hetzner.cloud/reference/cloud#load-balancers-get-metrics-for-a-loadbalancer
"""

from __future__ import annotations

import datetime as dt
import math

from aiohttp import web

from ..core import Json, json_response, path_resource
from ..errors import invalid_input
from .load_balancer_base import LOAD_BALANCER

__all__ = ["SERIES", "get_metrics", "series_values"]

#: Each metric type, its time series, and their typical level (per second, bytes/s).
SERIES: dict[str, tuple[tuple[str, float], ...]] = {
    "open_connections": (("open_connections", 150.0),),
    "connections_per_second": (("connections_per_second", 12.0),),
    "requests_per_second": (("requests_per_second", 45.0),),
    "bandwidth": (("bandwidth.in", 180_000.0), ("bandwidth.out", 950_000.0)),
}
#: A fixed number per series, so that a series' values do not depend on what else is asked.
_SERIES_INDEX = {name: i for i, (name, _) in enumerate(s for v in SERIES.values() for s in v)}
MAX_SAMPLES = 500
DEFAULT_SAMPLES = 200
_DAY = 86_400


def _timestamp(request: web.Request, name: str) -> float:
    raw = request.query.get(name)
    if raw is None:
        raise invalid_input({name: ["is required"]})
    try:
        parsed = dt.datetime.fromisoformat(raw)
    except ValueError:
        raise invalid_input({name: ["must be an RFC 3339 timestamp"]}) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.timestamp()


def _types(request: web.Request) -> list[str]:
    names = [n.strip() for raw in request.query.getall("type", []) for n in raw.split(",")]
    names = [n for n in names if n]
    if not names:
        raise invalid_input({"type": ["is required"]})
    for name in names:
        if name not in SERIES:
            raise invalid_input({"type": [f"must be one of {', '.join(SERIES)}"]})
    return list(dict.fromkeys(names))


def _step(request: web.Request, span: float) -> int:
    raw = request.query.get("step")
    if raw is None:
        step = math.ceil(span / DEFAULT_SAMPLES) if span > 0 else 1
    else:
        try:
            step = math.ceil(float(raw))
        except (ValueError, OverflowError):  # not a number, NaN or infinite
            raise invalid_input({"step": ["must be a number of seconds"]}) from None
        if step <= 0:
            raise invalid_input({"step": ["must be positive"]})
    if span / step + 1 > MAX_SAMPLES:
        step = math.ceil(span / (MAX_SAMPLES - 1))
    return max(step, 1)


def _level(lb_id: int, index: int, stamp: float, typical: float) -> float:
    """Return one sample: a daily curve (low at night) and a deterministic wobble."""
    phase = 2 * math.pi * ((stamp % _DAY) / _DAY) + (lb_id % 7) * 0.3
    curve = 1.0 - 0.6 * math.cos(phase)
    wobble = ((int(stamp) * 2_654_435_761 + lb_id * 40_503 + index * 97) % 1000) / 1000
    return typical * curve * (0.9 + 0.2 * wobble)


def series_values(
    lb: Json, name: str, typical: float, stamps: list[float]
) -> list[list[float | str]]:
    """Return one series' ``[timestamp, "value"]`` pairs."""
    idle = not lb["services"]
    index = _SERIES_INDEX[name]
    values: list[list[float | str]] = []
    for stamp in stamps:
        level = 0.0 if idle else _level(lb["id"], index, stamp, typical)
        text = str(round(level)) if name == "open_connections" else f"{level:.3f}"
        values.append([stamp, text])
    return values


async def get_metrics(request: web.Request) -> web.Response:
    """GET /load_balancers/{id}/metrics."""
    lb = path_resource(request, LOAD_BALANCER.name)
    names = _types(request)
    start, end = _timestamp(request, "start"), _timestamp(request, "end")
    if end < start:
        raise invalid_input({"end": ["must not be before start"]})
    step = _step(request, end - start)
    count = int((end - start) // step) + 1
    stamps = [start + k * step for k in range(count)]
    series: Json = {
        series_name: {"values": series_values(lb, series_name, typical, stamps)}
        for name in names
        for series_name, typical in SERIES[name]
    }
    body = {
        "metrics": {
            "start": dt.datetime.fromtimestamp(start, dt.UTC).isoformat(),
            "end": dt.datetime.fromtimestamp(end, dt.UTC).isoformat(),
            "step": step,
            "time_series": series,
        }
    }
    return json_response(body)
