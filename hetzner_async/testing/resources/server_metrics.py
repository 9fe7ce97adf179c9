"""``GET /servers/{id}/metrics``: plausible, deterministic CPU, disk and network time series.

The query follows https://docs.hetzner.cloud/reference/cloud#servers-get-metrics-for-a-server:
``type`` (repeated, or comma-separated: ``cpu,disk``), ``start`` and ``end`` in RFC 3339, and an
optional ``step`` in seconds. Without ``step`` the fake picks one that gives at most 200
samples; with one, it widens it so that at most 500 are returned. Each sample is
``[unix time, "value"]``, a function of the server, the series and the time only, so the
same question always gets the same answer.
"""

from __future__ import annotations

import datetime as dt
import math
import zlib

from aiohttp import web
from multidict import MultiMapping

from ..core import Registry, json_response, path_resource
from ..errors import invalid_input
from .servers import SERVER

__all__ = [
    "DEFAULT_SAMPLES",
    "MAX_SAMPLES",
    "SERIES",
    "parse_period",
    "parse_types",
    "register",
    "sample_times",
]

DEFAULT_SAMPLES = 200
MAX_SAMPLES = 500
#: The time series of each type, and the busiest value each reaches (percent, per second).
SERIES: dict[str, dict[str, float]] = {
    "cpu": {"cpu": 60.0},
    "disk": {
        "disk.0.iops.read": 120.0,
        "disk.0.iops.write": 300.0,
        "disk.0.bandwidth.read": 4_000_000.0,
        "disk.0.bandwidth.write": 12_000_000.0,
    },
    "network": {
        "network.0.pps.in": 2_000.0,
        "network.0.pps.out": 1_500.0,
        "network.0.bandwidth.in": 1_500_000.0,
        "network.0.bandwidth.out": 900_000.0,
    },
}
_DAY = 86_400.0


def parse_types(query: MultiMapping[str], allowed: dict[str, dict[str, float]]) -> list[str]:
    """Return the metric types asked for (``type`` repeated or comma-separated), checked."""
    kinds = [k.strip() for raw in query.getall("type", []) for k in raw.split(",") if k.strip()]
    if not kinds:
        raise invalid_input({"type": ["is required"]})
    for kind in kinds:
        if kind not in allowed:
            raise invalid_input({"type": [f"invalid type {kind!r}; one of {', '.join(allowed)}"]})
    return list(dict.fromkeys(kinds))


def _moment(query: MultiMapping[str], name: str) -> float:
    raw = query.get(name)
    if raw is None or not raw.strip():
        raise invalid_input({name: ["is required"]})
    # A "+" of an offset that was not percent-encoded arrives as a space.
    text = raw.strip().replace(" ", "+")
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None or "T" not in text.upper():
        raise invalid_input({name: ["must be an RFC 3339 timestamp (2017-01-01T00:00:00Z)"]})
    return moment.timestamp()


def _step(query: MultiMapping[str]) -> float | None:
    raw = query.get("step")
    if raw is None:
        return None
    try:
        step = float(raw)
    except ValueError:
        step = math.nan
    if not math.isfinite(step) or step <= 0:
        raise invalid_input({"step": ["must be a positive number of seconds"]})
    return step


def parse_period(query: MultiMapping[str]) -> tuple[float, float, float]:
    """Return ``(start, end, step)`` in UNIX seconds, with the step the API would use."""
    start = _moment(query, "start")
    end = _moment(query, "end")
    if end <= start:
        raise invalid_input({"end": ["must be after start"]})
    asked = _step(query)
    span = end - start
    if asked is None:
        # At most DEFAULT_SAMPLES points from start to end, both included.
        return start, end, float(max(1, math.ceil(span / (DEFAULT_SAMPLES - 1))))
    if math.floor(span / asked + 1e-9) + 1 > MAX_SAMPLES:
        return start, end, float(math.ceil(span / (MAX_SAMPLES - 1)))
    return start, end, asked


def sample_times(start: float, end: float, step: float) -> list[float]:
    """Return the sample times from ``start`` to ``end`` (included), ``step`` apart."""
    count = math.floor((end - start) / step + 1e-9) + 1
    return [start + i * step for i in range(count)]


def _level(seed: int, t: float) -> float:
    """Return a load between 0.15 and 1: a daily wave, phased per series, plus noise."""
    phase = (seed % 1_000) / 1_000
    wave = (1 + math.sin(2 * math.pi * (t / _DAY + phase))) / 2
    noise = zlib.crc32(f"{seed}:{t:.3f}".encode()) / 0xFFFF_FFFF
    return 0.15 + 0.5 * wave + 0.35 * noise


def _number(value: float) -> float | int:
    return int(value) if value.is_integer() else value


def series(server_id: int, name: str, peak: float, times: list[float]) -> list[list[object]]:
    """Return one time series of a server as ``[[unix, "value"], ...]``."""
    seed = zlib.crc32(f"{server_id}:{name}".encode())
    return [[_number(t), str(round(peak * _level(seed, t), 3))] for t in times]


def _iso(stamp: float) -> str:
    moment = dt.datetime.fromtimestamp(stamp, dt.UTC)
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


async def get_metrics(request: web.Request) -> web.Response:
    """GET /servers/{id}/metrics."""
    server = path_resource(request, SERVER.name)
    kinds = parse_types(request.query, SERIES)
    start, end, step = parse_period(request.query)
    times = sample_times(start, end, step)
    time_series = {
        name: {"values": series(server["id"], name, peak, times)}
        for kind in kinds
        for name, peak in SERIES[kind].items()
    }
    metrics = {
        "start": _iso(start),
        "end": _iso(end),
        "step": _number(step),
        "time_series": time_series,
    }
    return json_response({"metrics": metrics})


def register(registry: Registry) -> None:
    """Add ``GET /servers/{id}/metrics``."""
    registry.routes([web.get(f"{SERVER.item_path}/metrics", get_metrics)])
