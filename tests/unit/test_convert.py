"""The converters' policy: timestamps, omitted None, strict versus lenient, error messages."""

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import cattrs
import pytest

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
    FirewallResource,
    FirewallRule,
    PrivateNet,
    RebuildServerResult,
    Server,
    ServerFirewall,
    ServerStatus,
    ServerType,
    SSHKey,
)

from .payloads import ACTION, BOTH, ONLY_PAGE, ONLY_PAGE_SENT, SECRET, SERVER, SSH_KEY

# A lenient read may warn once per process: each test starts with none warned yet.
pytestmark = pytest.mark.usefixtures("fresh_warnings")


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
    # Required-but-nullable attributes keep their null: the key must be present.
    pytest.param(ONLY_PAGE, ONLY_PAGE_SENT, id="required nullable kept"),
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
