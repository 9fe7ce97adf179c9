"""The edges of a metrics query: which time an error names, odd time zones, odd steps."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator

import pytest

from hetzner_async._metrics import metrics_query, rfc3339

from .refusals import refused, refused_naming

ALLOWED = ("cpu", "disk", "network")
START = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
END = START + dt.timedelta(hours=1)


class NoOffset(dt.tzinfo):
    """A time zone that does not know its offset: the datetime is as good as naive."""

    def utcoffset(self, moment: dt.datetime | None) -> dt.timedelta | None:
        return None

    def tzname(self, moment: dt.datetime | None) -> str | None:
        return "nowhere"

    def dst(self, moment: dt.datetime | None) -> dt.timedelta | None:
        return None


@pytest.fixture
def local_time_zone_far_from_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run with the process's local time zone 5 hours west of UTC (a POSIX TZ string)."""
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset is POSIX-only")
    monkeypatch.setenv("TZ", "XYZ+05")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("local_time_zone_far_from_utc")
def test_times_are_written_in_utc_whatever_the_local_time_zone() -> None:
    assert rfc3339("start", START) == "2024-05-01T00:00:00Z"
    east = dt.datetime(2024, 5, 1, 2, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert rfc3339("end", east) == "2024-05-01T00:00:00Z"


def test_a_time_zone_without_an_offset_counts_as_naive() -> None:
    error = refused(lambda: rfc3339("start", dt.datetime(2024, 5, 1, tzinfo=NoOffset())))
    assert (error.field, "timezone-aware" in error.message) == ("start", True)


@pytest.mark.parametrize(
    ("call", "field", "fragments"),
    [
        (lambda: rfc3339("end", "2024-05-01"), "end", ["must be a datetime", "got str"]),
        (lambda: rfc3339("start", START.replace(tzinfo=None)), "start", ["datetime.now(UTC)"]),
        (lambda: query(start=START.replace(tzinfo=None)), "start", ["timezone-aware"]),
        (lambda: query(end=END.replace(tzinfo=None)), "end", ["timezone-aware"]),
        (lambda: query(type=[]), "type", ["at least one", "'cpu'"]),
        (lambda: query(type=["cpu", "gpu"]), "type", ["'gpu'", "'disk'"]),
        (lambda: query(end=START), "end", ["after start"]),
        (lambda: query(step=0), "step", ["positive number of seconds", "0"]),
        (lambda: query(step=True), "step", ["positive number of seconds", "True"]),
        (lambda: query(step=float("inf")), "step", ["finite"]),
    ],
)
def test_each_error_names_the_field_and_what_is_wrong(
    call: Callable[[], object], field: str, fragments: list[str]
) -> None:
    refused_naming(call, field, fragments)


def query(
    type: str | list[str] = "cpu",
    start: dt.datetime = START,
    end: dt.datetime = END,
    step: float | None = None,
) -> list[tuple[str, str]]:
    return metrics_query(type, start, end, step, allowed=ALLOWED)
