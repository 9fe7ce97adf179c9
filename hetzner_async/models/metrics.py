"""Metrics: time series of a resource's load over a period (CPU, disk, network, ...)."""

from datetime import UTC, datetime
from typing import NamedTuple

import attrs

__all__ = ["Metrics", "MetricsPoint", "TimeSeries"]


class MetricsPoint(NamedTuple):
    """One sample of a time series: when it was taken, and its value."""

    time: datetime
    value: float


@attrs.frozen(kw_only=True)
class TimeSeries:
    """One time series as the API sends it: ``[unix timestamp, "value"]`` pairs, oldest first."""

    values: list[tuple[float, str]]

    @property
    def points(self) -> list[MetricsPoint]:
        """Return the samples with UTC datetimes and numeric values."""
        return [
            MetricsPoint(datetime.fromtimestamp(stamp, UTC), float(value))
            for stamp, value in self.values
        ]


@attrs.frozen(kw_only=True)
class Metrics:
    """Time series by name (``cpu``, ``disk.0.iops.read``, ...) over ``start``..``end``.

    ``step`` is the resolution in seconds that the API chose or was asked for.
    """

    start: datetime
    end: datetime
    step: float
    time_series: dict[str, TimeSeries]
