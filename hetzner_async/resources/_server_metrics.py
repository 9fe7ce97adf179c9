"""A server's metrics: CPU, disk and network time series over a period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from .._metrics import metrics_query
from ..models import Metrics, Server
from ._collection import ActionListings

__all__ = ["ServerMetrics"]

METRIC_TYPES = ("cpu", "disk", "network")


class ServerMetrics(ActionListings[Server]):
    """``GET /servers/{id}/metrics``."""

    async def metrics(
        self,
        server_id: int,
        *,
        type: str | Sequence[str],
        start: dt.datetime,
        end: dt.datetime,
        step: float | None = None,
    ) -> Metrics:
        """Return a server's ``cpu``, ``disk`` and/or ``network`` time series from start to end.

        ``start`` and ``end`` are timezone-aware datetimes (the last 30 days are kept); without
        ``step`` (seconds) the API picks one that gives at most 200 samples.
        """
        params = metrics_query(type, start, end, step, allowed=METRIC_TYPES)
        data = await self._call("GET", self._item_path(server_id, "metrics"), params=params)
        return self._structure(data["metrics"], Metrics)
