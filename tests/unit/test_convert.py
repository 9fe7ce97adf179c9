"""The converters' policy: timestamps, omitted None, strict versus tolerant, error messages."""

import copy
import enum
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import attrs
import cattrs
import pytest

from hetzner_async import _tolerant
from hetzner_async._convert import (
    converter,
    make_converter,
    strict_converter,
    structure,
    unstructure,
)
from hetzner_async.errors import UnexpectedResponseError
from hetzner_async.models import (
    Action,
    ActionStatus,
    CreateServerResult,
    FirewallResource,
    FirewallRule,
    Pagination,
    PrivateNet,
    RebuildServerResult,
    Server,
    ServerFirewall,
    ServerStatus,
    ServerType,
    SSHKey,
)

EXAMPLES = Path(__file__).parents[1] / "spec" / "examples"
BOTH = pytest.mark.parametrize("conv", [converter, strict_converter], ids=["lenient", "strict"])


def _example(name: str, key: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / name).read_text())[key]
    return data


SSH_KEY = _example("ssh_key.json", "ssh_key")
SERVER = _example("server.json", "server")
ACTION = _example("action.json", "action")
CREATE_SERVER: dict[str, Any] = json.loads((EXAMPLES / "create_server_response.json").read_text())


def test_module_converters_are_built_by_make_converter() -> None:
    assert isinstance(converter, cattrs.Converter)
    assert isinstance(make_converter(strict=True), cattrs.Converter)


# --- datetimes -------------------------------------------------------------------------------

PARSED = [
    ("2016-01-30T23:55:00Z", datetime(2016, 1, 30, 23, 55, tzinfo=UTC)),
    ("2016-01-30T23:55:00+00:00", datetime(2016, 1, 30, 23, 55, tzinfo=UTC)),
    (
        "2016-01-30T23:55:00+02:00",
        datetime(2016, 1, 30, 23, 55, tzinfo=timezone(timedelta(hours=2))),
    ),
    ("2016-01-30T23:55:00.123456Z", datetime(2016, 1, 30, 23, 55, 0, 123456, tzinfo=UTC)),
]


@BOTH
@pytest.mark.parametrize(("text", "expected"), PARSED, ids=[text for text, _ in PARSED])
def test_datetime_parses_rfc3339(conv: cattrs.Converter, text: str, expected: datetime) -> None:
    parsed = structure(conv, text, datetime)
    assert parsed == expected
    assert parsed.utcoffset() == expected.utcoffset()


@BOTH
@pytest.mark.parametrize(
    "value",
    ["2016-01-30T23:55:00", "2016-01-30", "yesterday", 1454198100, None],
    ids=["no offset", "date only", "not a date", "unix time", "null"],
)
def test_datetime_rejects_non_rfc3339(conv: cattrs.Converter, value: object) -> None:
    with pytest.raises(UnexpectedResponseError):
        structure(conv, value, datetime)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2016, 1, 30, 23, 55, tzinfo=UTC), "2016-01-30T23:55:00Z"),
        (
            datetime(2016, 1, 30, 23, 55, tzinfo=timezone(timedelta(hours=2))),
            "2016-01-30T23:55:00+02:00",
        ),
    ],
    ids=["utc", "offset"],
)
def test_datetime_unstructures_to_rfc3339(value: datetime, expected: str) -> None:
    assert unstructure(converter, value) == expected


# --- unstructure: None omitted where it is the default -----------------------------------------

UNSTRUCTURED = [
    pytest.param(
        FirewallRule(direction="in", protocol="icmp", source_ips=["0.0.0.0/0"]),
        {"direction": "in", "protocol": "icmp", "source_ips": ["0.0.0.0/0"], "destination_ips": []},
        id="rule without port or description",
    ),
    pytest.param(
        FirewallRule("out", "tcp", "443", destination_ips=["::/0"], description="https"),
        {
            "direction": "out",
            "protocol": "tcp",
            "port": "443",
            "source_ips": [],
            "destination_ips": ["::/0"],
            "description": "https",
        },
        id="rule with everything",
    ),
    pytest.param(
        FirewallResource.for_server(5), {"type": "server", "server": {"id": 5}}, id="for_server"
    ),
    pytest.param(ServerFirewall(), {}, id="optional keys all None"),
    pytest.param(PrivateNet(), {"alias_ips": []}, id="empty list kept"),
    pytest.param(
        # Required-but-nullable attributes keep their null: the key must be present.
        Pagination(
            page=1, per_page=25, previous_page=None, next_page=None, last_page=1, total_entries=0
        ),
        {
            "page": 1,
            "per_page": 25,
            "previous_page": None,
            "next_page": None,
            "last_page": 1,
            "total_entries": 0,
        },
        id="required nullable kept",
    ),
]


@pytest.mark.parametrize(("obj", "expected"), UNSTRUCTURED)
def test_unstructure_omits_none_defaults(obj: object, expected: dict[str, Any]) -> None:
    assert unstructure(converter, obj) == expected


def test_unstructure_keeps_empty_labels() -> None:
    key = structure(converter, {**SSH_KEY, "labels": {}}, SSHKey)
    assert unstructure(converter, key)["labels"] == {}


def test_unstructured_action_keeps_null_finished_and_error() -> None:
    running = structure(converter, {**ACTION, "finished": None, "error": None}, Action)
    out = unstructure(converter, running)
    assert out["finished"] is None
    assert out["error"] is None


# --- strict versus lenient -------------------------------------------------------------------

EXTRA_KEYS = [
    pytest.param(SSHKey, {**SSH_KEY, "shiny": 1}, "$", id="top level"),
    pytest.param(
        Server,
        {**SERVER, "public_net": {**SERVER["public_net"], "ipv5": None}},
        "$.public_net",
        id="nested",
    ),
    pytest.param(
        list[Action],
        [ACTION, {**ACTION, "resources": [{"id": 1, "type": "server", "shiny": True}]}],
        "$[1].resources[0]",
        id="in a list",
    ),
]


@pytest.mark.parametrize(("cls", "payload", "path"), EXTRA_KEYS)
def test_unknown_keys_ignored_when_lenient(cls: Any, payload: Any, path: str) -> None:
    assert structure(converter, payload, cls) is not None


@pytest.mark.parametrize(("cls", "payload", "path"), EXTRA_KEYS)
def test_unknown_keys_rejected_when_strict(cls: Any, payload: Any, path: str) -> None:
    with pytest.raises(UnexpectedResponseError, match="extra fields found") as info:
        structure(strict_converter, payload, cls)
    assert f"@ {path}" in info.value.message


@BOTH
@pytest.mark.parametrize("status", list(ServerStatus))
def test_known_server_status(conv: cattrs.Converter, status: ServerStatus) -> None:
    server = structure(conv, {**SERVER, "status": status.value}, Server)
    assert server.status is status


def test_unknown_server_status_keeps_its_string_when_lenient() -> None:
    server = structure(converter, {**SERVER, "status": "hibernating"}, Server)
    assert isinstance(server.status, ServerStatus)
    assert server.status == "hibernating"
    assert str(server.status) == "hibernating"
    assert not server.status.known
    # Not the API's own "unknown" status, which is a member.
    assert server.status is not ServerStatus.UNKNOWN
    assert ServerStatus.UNKNOWN.known


@pytest.mark.parametrize(
    ("cls", "payload", "path"),
    [
        (Server, {**SERVER, "status": "hibernating"}, r"\$\.status"),
        (Action, {**ACTION, "status": "paused"}, r"\$\.status"),
    ],
    ids=["server status", "action status"],
)
def test_unknown_enum_value_rejected_when_strict(cls: Any, payload: Any, path: str) -> None:
    with pytest.raises(UnexpectedResponseError, match=path):
        structure(strict_converter, payload, cls)


def test_unknown_action_status_keeps_its_string_when_lenient() -> None:
    # Kept, and unequal to every member: it can never pass for running, success or error.
    action = structure(converter, {**ACTION, "status": "paused"}, Action)
    assert action.status == "paused"
    assert not action.status.known
    assert action.status not in (ActionStatus.RUNNING, ActionStatus.SUCCESS, ActionStatus.ERROR)


@BOTH
def test_enums_structure_to_members(conv: cattrs.Converter) -> None:
    action = structure(conv, ACTION, Action)
    assert type(action.status) is ActionStatus
    assert type(structure(conv, SERVER, Server).status) is ServerStatus


# --- JSON types are checked, not coerced -----------------------------------------------------

WRONG_TYPES = [
    pytest.param(SSHKey, {**SSH_KEY, "id": "2323"}, "$.id", id="string for int"),
    pytest.param(SSHKey, {**SSH_KEY, "id": True}, "$.id", id="bool for int"),
    pytest.param(SSHKey, {**SSH_KEY, "name": 7}, "$.name", id="int for string"),
    pytest.param(SSHKey, {**SSH_KEY, "labels": {"a": 1}}, "$.labels", id="int label value"),
    pytest.param(Server, {**SERVER, "locked": "false"}, "$.locked", id="string for bool"),
    pytest.param(
        ServerType,
        {**SERVER["server_type"], "cores": "2"},
        "$.cores",
        id="string for number",
    ),
    pytest.param(Action, {**ACTION, "resources": {}}, "$.resources", id="object for list"),
]


@pytest.mark.parametrize(("cls", "payload", "path"), WRONG_TYPES)
def test_wrong_json_type_rejected_when_strict(cls: Any, payload: Any, path: str) -> None:
    with pytest.raises(UnexpectedResponseError) as info:
        structure(strict_converter, payload, cls)
    assert path in info.value.message


def test_integer_accepted_as_number() -> None:
    server_type = structure(converter, {**SERVER["server_type"], "cores": 2}, ServerType)
    assert server_type.cores == 2.0
    assert type(server_type.cores) is float


# --- errors ----------------------------------------------------------------------------------

SECRET = "hunter2-do-not-log"


def test_malformed_payload_names_paths_and_hides_values() -> None:
    payload = {
        "action": {**ACTION, "command": None, "started": SECRET},
        "root_password": [SECRET],
    }
    with pytest.raises(UnexpectedResponseError) as info:
        structure(strict_converter, payload, RebuildServerResult)
    error = info.value
    assert error.status == 200
    assert error.code == "unexpected_response"
    assert isinstance(error.__cause__, cattrs.BaseValidationError)
    assert "RebuildServerResult" in error.message
    for path in ("$.action.command", "$.action.started", "$.root_password"):
        assert path in error.message
    assert SECRET not in str(error)
    assert SECRET not in repr(error)


def test_missing_field_named_when_strict() -> None:
    payload = {key: value for key, value in SSH_KEY.items() if key != "fingerprint"}
    with pytest.raises(UnexpectedResponseError, match=r"required field missing @ \$\.fingerprint"):
        structure(strict_converter, payload, SSHKey)


def test_error_message_caps_the_number_of_fields() -> None:
    payload = dict.fromkeys(SSH_KEY, None)
    with pytest.raises(UnexpectedResponseError, match=r"; and 1 more") as info:
        structure(strict_converter, payload, SSHKey)
    assert info.value.message.count(" @ $") == 5


@pytest.mark.parametrize(
    ("payload", "cls", "name"),
    [
        ("not an object", SSHKey, "SSHKey"),
        ([1], list[SSHKey], "list[SSHKey]"),
        (None, Action, "Action"),
    ],
    ids=["string for model", "int in list", "null for model"],
)
def test_wrong_shape_wrapped(payload: object, cls: Any, name: str) -> None:
    with pytest.raises(UnexpectedResponseError) as info:
        structure(converter, payload, cls)
    assert f"does not match {name}:" in info.value.message


# --- the tolerant reader (production) ---------------------------------------------------------


@pytest.fixture(autouse=True)
def _fresh_warnings() -> Iterator[None]:
    """Each test sees the once-per-process warnings as if the process had just started."""
    saved = set(_tolerant._warned)
    _tolerant._warned.clear()
    yield
    _tolerant._warned.clear()
    _tolerant._warned.update(saved)


def _without(data: dict[str, Any], *path: str) -> dict[str, Any]:
    """Return a deep copy of ``data`` with the key at ``path`` removed."""
    copied = copy.deepcopy(data)
    parent = copied
    for key in path[:-1]:
        parent = parent[key]
    del parent[path[-1]]
    return copied


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]


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
    server = structure(converter, _without(SERVER, *path), Server)
    assert read(server) == expected
    assert server.id == SERVER["id"]
    assert server.name == SERVER["name"] or path == ("name",)


def test_a_missing_field_warns_once_per_path_naming_it(caplog: pytest.LogCaptureFixture) -> None:
    payload = _without(_without(SERVER, "location"), "server_type", "locations")
    with caplog.at_level("WARNING", logger="hetzner_async"):
        for _ in range(3):
            structure(converter, payload, Server)
    assert sorted(_warnings(caplog)) == [
        "the API did not send Server.location; it reads as None",
        "the API did not send Server.server_type.locations; it reads as []",
    ]


def test_a_documented_optional_field_left_out_does_not_warn(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level("WARNING", logger="hetzner_async"):
        server = structure(converter, _without(SERVER, "placement_group"), Server)
    assert server.placement_group is None
    assert _warnings(caplog) == []


@BOTH
def test_a_deprecated_object_may_be_null_or_absent(conv: cattrs.Converter) -> None:
    # Server.datacenter "will be removed after the 1 July 2026"; its server_types already are.
    assert structure(conv, {**SERVER, "datacenter": None}, Server).datacenter is None
    assert structure(conv, _without(SERVER, "datacenter"), Server).datacenter is None
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
    (warning,) = _warnings(caplog)
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
    assert len(_warnings(caplog)) == 3


IDENTITY_MISSING = [
    pytest.param(Server, _without(SERVER, "id"), "Server.id", id="server id"),
    pytest.param(Server, {**SERVER, "id": "42"}, "Server.id", id="server id as string"),
    pytest.param(SSHKey, _without(SSH_KEY, "id"), "SSHKey.id", id="ssh key id"),
    pytest.param(Action, _without(ACTION, "id"), "Action.id", id="action id"),
    pytest.param(Action, _without(ACTION, "status"), "Action.status", id="action status"),
    pytest.param(Action, {**ACTION, "status": 3}, "Action.status", id="action status type"),
    pytest.param(Action, _without(ACTION, "command"), "Action.command", id="action command"),
    pytest.param(Server, [SERVER], "Server", id="not an object"),
    pytest.param(
        RebuildServerResult,
        {"action": _without(ACTION, "command")},
        "RebuildServerResult.action.command",
        id="action in a result",
    ),
    pytest.param(
        CreateServerResult,
        {**CREATE_SERVER, "server": _without(SERVER, "id")},
        "CreateServerResult.server.id",
        id="server in a result",
    ),
    pytest.param(
        CreateServerResult,
        _without(CREATE_SERVER, "action"),
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
        {**CREATE_SERVER, "next_actions": [_without(ACTION, "status")]},
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
