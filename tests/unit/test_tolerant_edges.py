"""The tolerant reader's edges: what each warning says, what is left out, what stays required."""

from __future__ import annotations

import copy
import json
import logging
from pathlib import Path
from typing import Any

import attrs
import pytest

from hetzner_async._convert import converter, structure
from hetzner_async._tolerant import Unidentified, json_type
from hetzner_async.errors import UnexpectedResponseError
from hetzner_async.models import (
    CreateServerResult,
    Meta,
    Metrics,
    RebuildServerResult,
    Server,
    TimeSeries,
)

EXAMPLES = Path(__file__).parents[1] / "spec" / "examples"
SERVER: dict[str, Any] = json.loads((EXAMPLES / "server.json").read_text())["server"]
CREATE_SERVER: dict[str, Any] = json.loads((EXAMPLES / "create_server_response.json").read_text())


# Each test sees the once-per-process warnings as if the process had just started.
pytestmark = pytest.mark.usefixtures("fresh_warnings")


def _read(payload: object, cls: Any, caplog: pytest.LogCaptureFixture) -> tuple[Any, list[str]]:
    """Read ``payload`` tolerantly; return the result and the warnings it logged."""
    with caplog.at_level(logging.WARNING, logger="hetzner_async"):
        read = structure(converter, payload, cls)
    return read, [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


def _server(**changes: object) -> dict[str, Any]:
    payload = copy.deepcopy(SERVER)
    payload.update(changes)
    return payload


@pytest.mark.parametrize(
    ("value", "name"),
    [
        (None, "null"),
        (True, "a boolean"),
        (False, "a boolean"),
        (0, "a number"),
        (1.5, "a number"),
        ("", "a string"),
        ([], "an array"),
        ({}, "an object"),
        ((1, 2), "tuple"),  # nothing JSON decodes to: named by its Python class
    ],
)
def test_json_type_names_a_value_in_json_words(value: object, name: str) -> None:
    assert json_type(value) == name


# --- what a warning says --------------------------------------------------------------------------

WARNED = [
    pytest.param(
        {"location": "fsn1"},
        lambda s: s.location,
        None,
        "the API sent Server.location as a string where an object was expected; it reads as None",
        id="object",
    ),
    pytest.param(
        {"private_net": "eth0"},
        lambda s: s.private_net,
        [],
        "the API sent Server.private_net as a string where an array was expected; it reads as []",
        id="array",
    ),
    pytest.param(
        {"labels": ["env"]},
        lambda s: s.labels,
        {},
        "the API sent Server.labels as an array where an object was expected; it reads as {}",
        id="map",
    ),
    pytest.param(
        {"status": 3},
        lambda s: s.status,
        None,
        "the API sent Server.status as a number where a ServerStatus value was expected; "
        "it reads as None",
        id="enum",
    ),
    pytest.param(
        {"locked": None},
        lambda s: s.locked,
        None,
        "the API sent Server.locked as null where bool was expected; it reads as None",
        id="null",
    ),
    pytest.param(
        {"labels": {"env": "prod", "weight": 3}},
        lambda s: s.labels,
        {"env": "prod"},
        "the API sent an entry of Server.labels{} as a number where str was expected; "
        "it is left out",
        id="map entry",
    ),
    pytest.param(
        {"public_net": {**SERVER["public_net"], "floating_ips": [478, "479", 480]}},
        lambda s: s.public_net.floating_ips,
        [478, 480],
        "the API sent an item of Server.public_net.floating_ips[] as a string where int was "
        "expected; it is left out",
        id="list item",
    ),
    pytest.param(
        # Documented as optional, so its default; but it was sent, so it is said.
        {"placement_group": "pg-1"},
        lambda s: s.placement_group,
        None,
        "the API sent Server.placement_group as a string where an object was expected; "
        "it reads as its default",
        id="optional",
    ),
]


@pytest.mark.parametrize(("changes", "read", "expected", "warning"), WARNED)
def test_a_warning_names_the_path_the_json_type_and_the_reading(
    changes: dict[str, Any],
    read: Any,
    expected: object,
    warning: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    server, warnings = _read(_server(**changes), Server, caplog)
    assert read(server) == expected
    assert warnings == [warning]
    assert server.id == SERVER["id"]


def test_each_path_warns_on_its_own(caplog: pytest.LogCaptureFixture) -> None:
    payload = _server(
        labels={"weight": 3},
        image={**SERVER["image"], "labels": {"weight": 3}},
        private_net=[*SERVER["private_net"], "eth1"],
        public_net={**SERVER["public_net"], "floating_ips": ["479"]},
    )
    for _ in range(2):
        server, warnings = _read(payload, Server, caplog)
    assert server.labels == server.image.labels == {}
    assert len(server.private_net) == 1
    assert server.public_net.floating_ips == []
    assert sorted(w.split(" as ")[0] for w in warnings) == [
        "the API sent an entry of Server.image.labels{}",
        "the API sent an entry of Server.labels{}",
        "the API sent an item of Server.private_net[]",
        "the API sent an item of Server.public_net.floating_ips[]",
    ]


def test_fields_after_a_gap_are_still_read(caplog: pytest.LogCaptureFixture) -> None:
    # A documented-optional field left out (volumes) or unreadable (datacenter) ends nothing:
    # every field after it is read as usual, and every gap is said once, on its own path.
    payload = _server(datacenter="fsn1-dc14", locked="no", rescue_enabled="no", placement_group=7)
    del payload["volumes"]
    server, warnings = _read(payload, Server, caplog)
    assert (server.datacenter, server.placement_group, server.volumes) == (None, None, [])
    assert (server.locked, server.rescue_enabled) == (None, None)
    assert server.location.name == SERVER["location"]["name"]
    assert server.labels == SERVER["labels"]
    assert server.primary_disk_size == SERVER["primary_disk_size"]
    assert sorted(w.split(" as ")[0] for w in warnings) == [
        "the API sent Server.datacenter",
        "the API sent Server.locked",
        "the API sent Server.placement_group",
        "the API sent Server.rescue_enabled",
    ]


def test_a_metrics_sample_that_is_no_pair_is_left_out(caplog: pytest.LogCaptureFixture) -> None:
    payload = {
        "start": "2016-01-30T23:55:00Z",
        "end": "2016-01-30T23:56:00Z",
        "step": 60,
        "time_series": {"cpu": {"values": [[1454198100, "0.5"], "junk"]}, "disk": "junk"},
    }
    metrics, warnings = _read(payload, Metrics, caplog)
    # A series that is not an object is one entry of a map: left out, not a failed read.
    assert metrics.time_series == {"cpu": TimeSeries(values=[(1454198100.0, "0.5")])}
    assert sorted(warnings) == [
        "the API sent an entry of Metrics.time_series{} as a string where an object was "
        "expected; it is left out",
        "the API sent an item of Metrics.time_series{}.values[] as a string where "
        "tuple[float, str] was expected; it is left out",
    ]


# --- what stays required --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "cls", "message"),
    [
        pytest.param(
            [SERVER], Server, "Server: an array where an object was expected", id="resource"
        ),
        pytest.param(
            # A result has no id of its own; at the top it must still be an object.
            [1],
            RebuildServerResult,
            "RebuildServerResult: an array where an object was expected",
            id="result",
        ),
        pytest.param(
            # An action is identity wherever it is, even as an item of a list.
            {**CREATE_SERVER, "next_actions": ["start_server"]},
            CreateServerResult,
            "CreateServerResult.next_actions[]: a string where an object was expected",
            id="action in a list",
        ),
        pytest.param(
            {k: v for k, v in SERVER.items() if k != "id"},
            Server,
            "Server.id: the API did not send it",
            id="missing id",
        ),
    ],
)
def test_what_cannot_be_identified_says_where_and_why(
    payload: object, cls: Any, message: str
) -> None:
    with pytest.raises(UnexpectedResponseError) as raised:
        structure(converter, payload, cls)
    assert raised.value.message == f"response does not match {cls.__name__}: {message}"
    cause = raised.value.__cause__
    assert isinstance(cause, Unidentified)
    path, problem = message.split(": ", 1)
    assert (cause.path, cause.problem) == (path, problem)


def test_a_result_needs_its_resources_but_nothing_else(caplog: pytest.LogCaptureFixture) -> None:
    payload = {k: v for k, v in CREATE_SERVER.items() if k not in ("next_actions", "root_password")}
    result, warnings = _read(payload, CreateServerResult, caplog)
    assert result.server.id == CREATE_SERVER["server"]["id"]
    assert result.next_actions == []
    assert result.root_password is None
    assert sorted(warnings) == [
        "the API did not send CreateServerResult.next_actions; it reads as []",
        "the API did not send CreateServerResult.root_password; it reads as None",
    ]


def test_an_object_without_an_id_read_alone_needs_nothing(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Meta wraps no resource: its pagination is an ordinary field.
    meta, warnings = _read({}, Meta, caplog)
    assert meta == Meta(pagination=None)  # type: ignore[arg-type]
    assert warnings == ["the API did not send Meta.pagination; it reads as None"]


# --- a wrapped resource annotated nullable --------------------------------------------------------


@attrs.frozen
class _Thing:
    id: int
    name: str


@attrs.frozen
class _Made:
    """A result that wraps a resource it may not have (no shipped model does, yet)."""

    thing: _Thing | None


def test_a_wrapped_resource_annotated_nullable_still_needs_its_id() -> None:
    with pytest.raises(UnexpectedResponseError) as raised:
        structure(converter, {"thing": {"name": "x"}}, _Made)
    assert raised.value.message.endswith(": _Made.thing.id: the API did not send it")


def test_a_wrapped_nullable_resource_is_read_field_by_field(
    caplog: pytest.LogCaptureFixture,
) -> None:
    made, warnings = _read({"thing": {"id": 1, "name": 5}}, _Made, caplog)
    assert made == _Made(thing=_Thing(id=1, name=None))  # type: ignore[arg-type]
    assert warnings == [
        "the API sent _Made.thing.name as a number where str was expected; it reads as None"
    ]
    assert _read({"thing": None}, _Made, caplog)[0] == _Made(thing=None)
