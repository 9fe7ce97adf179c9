"""The query of a metrics request, as a table: types, RFC 3339 times, steps."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from hetzner_async._metrics import metrics_query, rfc3339
from hetzner_async.errors import ValidationError

ALLOWED = ("cpu", "disk", "network")
START = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
END = START + dt.timedelta(hours=1)


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (dt.datetime(2017, 1, 1, tzinfo=dt.UTC), "2017-01-01T00:00:00Z"),
        (
            dt.datetime(2017, 1, 1, 2, tzinfo=dt.timezone(dt.timedelta(hours=2))),
            "2017-01-01T00:00:00Z",
        ),
        (dt.datetime(2017, 1, 1, 0, 0, 5, 999999, tzinfo=dt.UTC), "2017-01-01T00:00:05Z"),
    ],
)
def test_times_go_out_as_rfc3339_utc(moment: dt.datetime, text: str) -> None:
    assert rfc3339("start", moment) == text


@pytest.mark.parametrize("moment", [dt.datetime(2017, 1, 1), "2017-01-01T00:00:00Z", 1483228800])
def test_naive_or_non_datetimes_are_refused(moment: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        rfc3339("start", moment)
    assert raised.value.field == "start"


@pytest.mark.parametrize(
    ("kwargs", "query"),
    [
        (
            {"type": "cpu", "step": None},
            [("type", "cpu"), ("start", "2024-05-01T00:00:00Z"), ("end", "2024-05-01T01:00:00Z")],
        ),
        (
            {"type": ["disk", "network", "disk"], "step": 60.0},
            [
                ("type", "disk"),
                ("type", "network"),
                ("start", "2024-05-01T00:00:00Z"),
                ("end", "2024-05-01T01:00:00Z"),
                ("step", "60"),
            ],
        ),
        ({"type": ["cpu"], "step": 0.5}, None),
    ],
)
def test_query(kwargs: dict[str, Any], query: list[tuple[str, str]] | None) -> None:
    pairs = metrics_query(start=START, end=END, allowed=ALLOWED, **kwargs)
    if query is not None:
        assert pairs == query
    else:
        assert pairs[-1] == ("step", "0.5")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"type": "memory"}, "type"),
        ({"type": []}, "type"),
        ({"type": "cpu", "end": START}, "end"),
        ({"type": "cpu", "step": 0}, "step"),
        ({"type": "cpu", "step": -60}, "step"),
        ({"type": "cpu", "step": True}, "step"),
        ({"type": "cpu", "step": float("inf")}, "step"),
        ({"type": "cpu", "step": "60"}, "step"),
    ],
)
def test_bad_queries_are_refused(kwargs: dict[str, Any], field: str) -> None:
    arguments: dict[str, Any] = {"start": START, "end": END, "step": None, **kwargs}
    with pytest.raises(ValidationError) as raised:
        metrics_query(allowed=ALLOWED, **arguments)
    assert raised.value.field == field
