"""The tolerant reader (the production converter) on the real models: what it fills in, what not.

A missing or mistyped field reads as empty and warns once; an identity is never guessed.
"""

import copy
import enum
from typing import Any

import attrs
import cattrs
import pytest

from hetzner_async import _tolerant
from hetzner_async._convert import converter, make_converter, strict_converter, structure
from hetzner_async.errors import UnexpectedResponseError
from hetzner_async.models import Action, CreateServerResult, RebuildServerResult, Server, SSHKey

from .payloads import (
    ACTION,
    BOTH,
    CREATE_SERVER,
    SECRET,
    SERVER,
    SSH_KEY,
    warnings_in,
    without,
)

pytestmark = pytest.mark.usefixtures("fresh_warnings")


MISSING = [
    pytest.param(("datacenter",), lambda s: s.datacenter, None, id="deprecated: its default"),
    pytest.param(("location",), lambda s: s.location, None, id="object"),
    pytest.param(("labels",), lambda s: s.labels, {}, id="map"),
    pytest.param(("private_net",), lambda s: s.private_net, [], id="list"),
    pytest.param(("name",), lambda s: s.name, None, id="string"),
    pytest.param(
        ("server_type", "locations"), lambda s: s.server_type.locations, [], id="nested list"
    ),
    pytest.param(("image", "deleted"), lambda s: s.image.deleted, None, id="nested nullable"),
    pytest.param(("server_type", "id"), lambda s: s.server_type.id, None, id="nested id"),
    pytest.param(
        ("public_net", "ipv6", "dns_ptr"), lambda s: s.public_net.ipv6.dns_ptr, None, id="deep"
    ),
]


@pytest.mark.parametrize(("path", "read", "expected"), MISSING)
def test_a_missing_field_reads_as_empty(
    path: tuple[str, ...], read: Any, expected: object, caplog: pytest.LogCaptureFixture
) -> None:
    server = structure(converter, without(SERVER, *path), Server)
    assert read(server) == expected
    assert server.id == SERVER["id"]
    assert server.name == SERVER["name"] or path == ("name",)


def test_a_missing_field_warns_once_per_path_naming_it(caplog: pytest.LogCaptureFixture) -> None:
    payload = without(without(SERVER, "location"), "server_type", "locations")
    with caplog.at_level("WARNING", logger="hetzner_async"):
        for _ in range(3):
            structure(converter, payload, Server)
    assert sorted(warnings_in(caplog)) == [
        "the API did not send Server.location; it reads as None",
        "the API did not send Server.server_type.locations; it reads as []",
    ]


def test_a_documented_optional_field_left_out_does_not_warn(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level("WARNING", logger="hetzner_async"):
        server = structure(converter, without(SERVER, "placement_group"), Server)
    assert server.placement_group is None
    assert warnings_in(caplog) == []


@BOTH
def test_a_deprecated_object_may_be_null_or_absent(conv: cattrs.Converter) -> None:
    # Server.datacenter "will be removed after the 1 July 2026"; its server_types already are.
    assert structure(conv, {**SERVER, "datacenter": None}, Server).datacenter is None
    assert structure(conv, without(SERVER, "datacenter"), Server).datacenter is None
    datacenter = {**SERVER["datacenter"], "server_types": None}
    read = structure(conv, {**SERVER, "datacenter": datacenter}, Server)
    assert read.datacenter is not None
    assert read.datacenter.server_types is None
    assert read.datacenter.location.name == SERVER["datacenter"]["location"]["name"]


TOLERATED_TYPES = [
    pytest.param(("server_type", "cores"), "2", lambda s: s.server_type.cores, id="str for number"),
    pytest.param(("locked",), "false", lambda s: s.locked, id="str for bool"),
    pytest.param(("created",), "yesterday", lambda s: s.created, id="not a timestamp"),
    pytest.param(("created",), "2016-01-30T23:55:00", lambda s: s.created, id="no offset"),
    pytest.param(("public_net",), None, lambda s: s.public_net, id="null for object"),
    pytest.param(("location",), "fsn1", lambda s: s.location, id="str for object"),
    pytest.param(("image", "protection"), [], lambda s: s.image.protection, id="list for object"),
    pytest.param(("protection", "delete"), 0, lambda s: s.protection.delete, id="int for bool"),
]


@pytest.mark.parametrize(("path", "value", "read"), TOLERATED_TYPES)
def test_a_value_of_another_json_type_reads_as_none(
    path: tuple[str, ...], value: object, read: Any, caplog: pytest.LogCaptureFixture
) -> None:
    payload = copy.deepcopy(SERVER)
    parent = payload
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    with caplog.at_level("WARNING", logger="hetzner_async"):
        server = structure(converter, payload, Server)
    assert read(server) is None
    (warning,) = warnings_in(caplog)
    assert f"Server.{'.'.join(path)} as " in warning
    assert repr(value) not in warning or value is None  # the value itself is never logged
    with pytest.raises(UnexpectedResponseError):
        structure(strict_converter, payload, Server)


def test_unreadable_list_items_and_map_entries_are_left_out(
    caplog: pytest.LogCaptureFixture,
) -> None:
    payload = copy.deepcopy(SERVER)
    payload["public_net"]["floating_ips"] = [478, "479", None, 480]
    payload["labels"] = {"env": "prod", "weight": 3}
    payload["private_net"] = [payload["private_net"][0], "eth1"]
    with caplog.at_level("WARNING", logger="hetzner_async"):
        server = structure(converter, payload, Server)
    assert server.public_net.floating_ips == [478, 480]
    assert server.labels == {"env": "prod"}
    assert len(server.private_net) == 1
    assert len(warnings_in(caplog)) == 3


IDENTITY_MISSING = [
    pytest.param(Server, without(SERVER, "id"), "Server.id", id="server id"),
    pytest.param(Server, {**SERVER, "id": "42"}, "Server.id", id="server id as string"),
    pytest.param(SSHKey, without(SSH_KEY, "id"), "SSHKey.id", id="ssh key id"),
    pytest.param(Action, without(ACTION, "id"), "Action.id", id="action id"),
    pytest.param(Action, without(ACTION, "status"), "Action.status", id="action status"),
    pytest.param(Action, {**ACTION, "status": 3}, "Action.status", id="action status type"),
    pytest.param(Action, without(ACTION, "command"), "Action.command", id="action command"),
    pytest.param(Server, [SERVER], "Server", id="not an object"),
    pytest.param(
        RebuildServerResult,
        {"action": without(ACTION, "command")},
        "RebuildServerResult.action.command",
        id="action in a result",
    ),
    pytest.param(
        CreateServerResult,
        {**CREATE_SERVER, "server": without(SERVER, "id")},
        "CreateServerResult.server.id",
        id="server in a result",
    ),
    pytest.param(
        CreateServerResult,
        without(CREATE_SERVER, "action"),
        "CreateServerResult.action",
        id="result without its action",
    ),
    pytest.param(
        CreateServerResult,
        {**CREATE_SERVER, "server": None},
        "CreateServerResult.server",
        id="null server in a result",
    ),
    pytest.param(
        CreateServerResult,
        {**CREATE_SERVER, "next_actions": [without(ACTION, "status")]},
        "CreateServerResult.next_actions[].status",
        id="action in a list",
    ),
]


@pytest.mark.parametrize(("cls", "payload", "path"), IDENTITY_MISSING)
def test_identity_is_never_guessed(cls: Any, payload: Any, path: str) -> None:
    with pytest.raises(UnexpectedResponseError) as info:
        structure(converter, payload, cls)
    assert f": {path}: " in info.value.message


def test_tolerant_errors_hide_values() -> None:
    payload = {"action": {**ACTION, "command": None, "started": SECRET}, "root_password": [SECRET]}
    with pytest.raises(UnexpectedResponseError) as info:
        structure(converter, payload, RebuildServerResult)
    assert "RebuildServerResult.action.command: null where str was expected" in str(info.value)
    assert SECRET not in str(info.value)


def test_a_valid_payload_never_takes_the_slow_path(monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(*args: object) -> None:
        raise AssertionError("the tolerant walk ran for a payload that fits the model")

    monkeypatch.setattr(_tolerant.TolerantReader, "read_model", slow)
    assert structure(converter, SERVER, Server).id == SERVER["id"]
    assert structure(converter, CREATE_SERVER, CreateServerResult).action.id


def test_the_tolerant_read_equals_the_strict_read_of_a_valid_payload() -> None:
    # Forcing the slow path on a payload that fits builds exactly what the fast path builds.
    reader = _tolerant.TolerantReader(make_converter(strict=False))
    assert reader.read_model(CREATE_SERVER, CreateServerResult) == structure(
        strict_converter, CREATE_SERVER, CreateServerResult
    )


class _Mode(enum.StrEnum):
    """A closed enum, as those a caller passes in (``ZoneMode``) stay."""

    PRIMARY = "primary"


@attrs.frozen
class _WithMode:
    id: int
    mode: _Mode


def test_a_closed_enum_keeps_an_unknown_value_when_read_tolerantly() -> None:
    read = structure(converter, {"id": 1, "mode": "tertiary"}, _WithMode)
    assert isinstance(read.mode, _Mode)
    assert read.mode == "tertiary"
    assert read.mode is not _Mode.PRIMARY
    with pytest.raises(ValueError, match="not a valid"):
        _Mode("tertiary")  # constructing one is still refused: a caller's typo stays an error
    with pytest.raises(UnexpectedResponseError, match=r"\$\.mode"):
        structure(strict_converter, {"id": 1, "mode": "tertiary"}, _WithMode)


def test_an_enum_value_of_another_json_type_reads_as_none() -> None:
    assert structure(converter, {"id": 1, "mode": 3}, _WithMode).mode is None
