"""Metrics: time series of a resource's load over a period."""

import datetime as dt

import attrs

__all__ = ["Metrics", "TimeSeries"]


@attrs.frozen(kw_only=True)
class TimeSeries:
    """One time series: ``[timestamp, value]`` pairs as the API sends them.

    The timestamp is in seconds since the epoch; the value is a decimal string.
    """

    values: list[tuple[float, str]]

    @property
    def points(self) -> list[tuple[dt.datetime, float]]:
        """Return the samples as (UTC time, number) pairs."""
        return [
            (dt.datetime.fromtimestamp(stamp, tz=dt.UTC), float(value))
            for stamp, value in self.values
        ]


@attrs.frozen(kw_only=True)
class Metrics:
    """The time series of one metrics request, by name (``bandwidth.in``, ...)."""

    start: dt.datetime
    end: dt.datetime
    #: Seconds between two samples.
    step: float
    time_series: dict[str, TimeSeries]
