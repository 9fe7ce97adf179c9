"""Server metrics: the series of each type, the step rules, determinism, and bad queries."""

import datetime as dt
from typing import Any

import pytest
from multidict import MultiDict

from hetzner_async.testing.errors import ApiError
from hetzner_async.testing.resources.server_metrics import parse_period, sample_times

from .conftest import Api

START = dt.datetime(2023, 11, 14, 20, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)
DISK = {
    "disk.0.iops.read",
    "disk.0.iops.write",
    "disk.0.bandwidth.read",
    "disk.0.bandwidth.write",
}
NETWORK = {
    "network.0.pps.in",
    "network.0.pps.out",
    "network.0.bandwidth.in",
    "network.0.bandwidth.out",
}


def period(start: dt.datetime = START, end: dt.datetime = START + HOUR) -> dict[str, str]:
    return {"start": start.isoformat(), "end": end.isoformat()}


async def metrics_of(api: Api, sid: int, params: Any) -> dict[str, Any]:
    reply = await api.get(f"/servers/{sid}/metrics", params=params)
    assert reply.status == 200, reply.body
    metrics: dict[str, Any] = reply.body["metrics"]
    return metrics


async def test_cpu_over_an_hour_at_one_minute(api: Api) -> None:
    sid = (await api.create_server("web")).body["server"]["id"]
    metrics = await metrics_of(api, sid, {"type": "cpu", "step": "60", **period()})
    assert metrics["start"] == "2023-11-14T20:00:00Z"
    assert metrics["end"] == "2023-11-14T21:00:00Z"
    assert metrics["step"] == 60
    assert list(metrics["time_series"]) == ["cpu"]
    values = metrics["time_series"]["cpu"]["values"]
    assert len(values) == 61
    first = START.timestamp()
    assert [stamp for stamp, _ in values] == [first + 60 * i for i in range(61)]
    percents = [float(value) for _, value in values]
    assert all(isinstance(value, str) for _, value in values)
    assert all(0 <= p <= 100 for p in percents)
    assert len(set(percents)) > 30  # a series, not a constant


async def test_same_question_same_answer_and_servers_differ(api: Api) -> None:
    a = (await api.create_server("a")).body["server"]["id"]
    b = (await api.create_server("b")).body["server"]["id"]
    query = {"type": "cpu", **period()}
    first = await metrics_of(api, a, query)
    assert await metrics_of(api, a, query) == first
    assert (await metrics_of(api, b, query))["time_series"] != first["time_series"]


async def test_types_repeated_or_comma_separated(api: Api) -> None:
    sid = (await api.create_server("web")).body["server"]["id"]
    joined = await metrics_of(api, sid, {"type": "disk,network", **period()})
    assert set(joined["time_series"]) == DISK | NETWORK
    repeated = await metrics_of(
        api, sid, MultiDict([("type", "cpu"), ("type", "disk"), *period().items()])
    )
    assert set(repeated["time_series"]) == {"cpu"} | DISK
    for name in DISK | NETWORK:
        assert all(float(value) >= 0 for _, value in joined["time_series"][name]["values"])


async def test_step_rules(api: Api) -> None:
    sid = (await api.create_server("web")).body["server"]["id"]
    day = period(START, START + 24 * HOUR)
    # No step: the fake picks one that gives at most 200 samples.
    picked = await metrics_of(api, sid, {"type": "cpu", **day})
    samples = len(picked["time_series"]["cpu"]["values"])
    assert 150 < samples <= 200
    assert picked["step"] == 435
    # A step that would give more than 500 samples is widened.
    widened = await metrics_of(api, sid, {"type": "cpu", "step": "1", **day})
    assert widened["step"] == 174
    assert 450 < len(widened["time_series"]["cpu"]["values"]) <= 500
    # A step wider than the period: one sample.
    one = await metrics_of(api, sid, {"type": "network", "step": "7200", **period()})
    assert {len(s["values"]) for s in one["time_series"].values()} == {1}
    fractional = await metrics_of(api, sid, {"type": "cpu", "step": "0.5", **period()})
    assert fractional["step"] == 8


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2023-11-14T20:00:00Z", "end": "2023-11-14T21:00:00Z"}, "type"),
        ({"type": "gpu", **period()}, "type"),
        ({"type": "cpu,ram", **period()}, "type"),
        ({"type": "cpu", "end": "2023-11-14T21:00:00Z"}, "start"),
        ({"type": "cpu", "start": "2023-11-14T20:00:00Z"}, "end"),
        ({"type": "cpu", "start": "yesterday", "end": "2023-11-14T21:00:00Z"}, "start"),
        ({"type": "cpu", "start": "2023-11-14T20:00:00", "end": "2023-11-14T21:00:00Z"}, "start"),
        ({"type": "cpu", "start": "2023-11-14", "end": "2023-11-15T00:00:00Z"}, "start"),
        ({"type": "cpu", **period(START + HOUR, START)}, "end"),
        ({"type": "cpu", **period(START, START)}, "end"),
        ({"type": "cpu", "step": "0", **period()}, "step"),
        ({"type": "cpu", "step": "-60", **period()}, "step"),
        ({"type": "cpu", "step": "fast", **period()}, "step"),
        ({"type": "cpu", "step": "nan", **period()}, "step"),
    ],
)
async def test_bad_queries_are_invalid_input(api: Api, params: dict[str, str], field: str) -> None:
    sid = (await api.create_server("web")).body["server"]["id"]
    reply = await api.get(f"/servers/{sid}/metrics", params=params)
    assert reply.status == 422, reply.body
    assert reply.body["error"]["code"] == "invalid_input"
    assert reply.body["error"]["details"]["fields"][0]["name"] == field


async def test_metrics_of_a_missing_server(api: Api) -> None:
    reply = await api.get("/servers/999/metrics", params={"type": "cpu", **period()})
    assert reply.status == 404
    assert reply.body["error"]["code"] == "not_found"


async def test_an_unencoded_plus_offset_is_read_as_one() -> None:
    query = MultiDict(start="2023-11-14T22:00:00 02:00", end="2023-11-14T21:00:00Z")
    start, end, step = parse_period(query)
    assert start == START.timestamp()
    assert end - start == 3600
    assert step == 19


@pytest.mark.parametrize(
    ("span", "step", "count"), [(3600, 60, 61), (3599, 60, 60), (10, 3, 4), (10, 20, 1)]
)
def test_sample_times_include_both_ends(span: float, step: float, count: int) -> None:
    times = sample_times(1000.0, 1000.0 + span, step)
    assert len(times) == count
    assert times[0] == 1000.0
    assert times[-1] <= 1000.0 + span


def test_parse_period_errors_are_api_errors() -> None:
    with pytest.raises(ApiError) as excinfo:
        parse_period(MultiDict(start="2023-11-14T20:00:00Z"))
    assert excinfo.value.code == "invalid_input"
