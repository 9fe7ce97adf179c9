"""The models themselves: secrets stay out of repr, request shapes, Action behaviour, surface."""

import importlib
import inspect
import json
import pickle
import pkgutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs
import pytest

import hetzner_async.models as models
from hetzner_async._convert import converter, structure, unstructure
from hetzner_async.models import (
    Action,
    ActionResource,
    ActionStatus,
    ConsoleResult,
    CreateServerResult,
    EnableRescueResult,
    FirewallResource,
    FirewallRule,
    LabelSelectorRef,
    OpenStrEnum,
    RebuildServerResult,
    ResetPasswordResult,
    ResourceRef,
    ServerStatus,
    ZonePrimaryNameserver,
)

EXAMPLES = Path(__file__).parents[1] / "spec" / "examples"
SECRET = "s3cr3t-root-pw"
CONSOLE_URL = "wss://console.hetzner.cloud/?server_id=1&token=tok-3db32d15"


def _action(
    status: ActionStatus = ActionStatus.RUNNING, *, id: int = 13, progress: int = 0
) -> Action:
    return Action(
        id=id,
        command="start_server",
        status=status,
        progress=progress,
        started=datetime(2016, 1, 30, 23, 55, tzinfo=UTC),
        finished=None,
        resources=[ActionResource(id=42, type="server")],
        error=None,
    )


def _create_server_result(root_password: str | None) -> CreateServerResult:
    body = json.loads((EXAMPLES / "create_server_response.json").read_text())
    return structure(converter, {**body, "root_password": root_password}, CreateServerResult)


# --- secrets ---------------------------------------------------------------------------------

WITH_SECRETS = [
    pytest.param(_create_server_result(SECRET), [SECRET], id="CreateServerResult"),
    pytest.param(
        ConsoleResult(wss_url=CONSOLE_URL, password=SECRET, action=_action()),
        [SECRET, CONSOLE_URL, "tok-3db32d15"],
        id="ConsoleResult",
    ),
    pytest.param(
        ResetPasswordResult(action=_action(), root_password=SECRET), [SECRET], id="ResetPassword"
    ),
    pytest.param(
        RebuildServerResult(action=_action(), root_password=SECRET), [SECRET], id="Rebuild"
    ),
    pytest.param(
        EnableRescueResult(action=_action(), root_password=SECRET), [SECRET], id="EnableRescue"
    ),
    pytest.param(
        ZonePrimaryNameserver("198.51.100.1", tsig_key=SECRET), [SECRET], id="ZonePrimaryNameserver"
    ),
]


@pytest.mark.parametrize(("obj", "secrets"), WITH_SECRETS)
def test_repr_hides_secrets(obj: object, secrets: list[str]) -> None:
    for text in (repr(obj), str(obj)):
        assert "<redacted>" in text
        for secret in secrets:
            assert secret not in text


@pytest.mark.parametrize(
    "obj",
    [
        _create_server_result(None),
        ResetPasswordResult(action=_action()),
        RebuildServerResult(action=_action()),
    ],
    ids=["CreateServerResult", "ResetPasswordResult", "RebuildServerResult"],
)
def test_repr_says_when_no_password_was_set(obj: object) -> None:
    assert "root_password=None" in repr(obj)
    assert "<redacted>" not in repr(obj)


def test_secret_still_readable_and_serialisable() -> None:
    result = ResetPasswordResult(action=_action(), root_password=SECRET)
    assert result.root_password == SECRET
    assert unstructure(converter, result)["root_password"] == SECRET


# --- firewall request shapes -----------------------------------------------------------------

REQUEST_SHAPES = [
    pytest.param(
        FirewallResource.for_server(5), {"type": "server", "server": {"id": 5}}, id="for_server"
    ),
    pytest.param(
        FirewallResource.for_label_selector("env=prod"),
        {"type": "label_selector", "label_selector": {"selector": "env=prod"}},
        id="for_label_selector",
    ),
    pytest.param(
        FirewallRule(direction="in", protocol="tcp", port="443", source_ips=["0.0.0.0/0", "::/0"]),
        {
            "direction": "in",
            "protocol": "tcp",
            "port": "443",
            "source_ips": ["0.0.0.0/0", "::/0"],
            "destination_ips": [],
        },
        id="rule by keyword",
    ),
    pytest.param(
        FirewallRule("out", "udp", "53", [], ["9.9.9.9/32"], "dns"),
        {
            "direction": "out",
            "protocol": "udp",
            "port": "53",
            "source_ips": [],
            "destination_ips": ["9.9.9.9/32"],
            "description": "dns",
        },
        id="rule by position",
    ),
]


@pytest.mark.parametrize(("obj", "expected"), REQUEST_SHAPES)
def test_request_shape(obj: object, expected: dict[str, Any]) -> None:
    assert unstructure(converter, obj) == expected


def test_firewall_resource_constructors() -> None:
    assert FirewallResource.for_server(5) == FirewallResource("server", server=ResourceRef(5))
    assert FirewallResource.for_label_selector("a") == FirewallResource(
        "label_selector", label_selector=LabelSelectorRef("a")
    )


def test_rule_defaults_are_not_shared() -> None:
    first, second = FirewallRule("in", "tcp"), FirewallRule("in", "tcp")
    first.source_ips.append("10.0.0.0/8")
    assert second.source_ips == []


# --- Action ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "done"),
    [(ActionStatus.RUNNING, False), (ActionStatus.SUCCESS, True), (ActionStatus.ERROR, True)],
)
def test_action_done(status: ActionStatus, done: bool) -> None:
    assert _action(status).done is done


def test_an_action_in_a_status_the_sdk_does_not_know_is_done_but_not_a_success() -> None:
    # Done: nothing says it will ever turn into success or error, so the SDK stops waiting (the
    # wait raises UnknownActionStatusError); and no member matches, so it never reads as success.
    action = _action(ActionStatus("paused"))
    assert action.done
    assert action.status is not ActionStatus.SUCCESS
    assert action.status != ActionStatus.SUCCESS
    assert not action.status.known


# --- open enums ------------------------------------------------------------------------------


OPEN_ENUMS = sorted(OpenStrEnum.__subclasses__(), key=lambda cls: cls.__name__)


def test_the_status_enums_are_open() -> None:
    assert {ActionStatus, ServerStatus} <= set(OPEN_ENUMS)


@pytest.mark.parametrize("cls", OPEN_ENUMS, ids=lambda cls: cls.__name__)
def test_an_open_enum_keeps_a_value_it_does_not_list(cls: type[OpenStrEnum]) -> None:
    value = cls("hibernating")
    assert isinstance(value, cls)
    assert value == "hibernating"
    assert str(value) == f"{value}" == value.value == "hibernating"
    assert not value.known
    assert value not in list(cls)
    assert cls("hibernating") is value  # one stand-in per value: `is` comparisons hold
    assert pickle.loads(pickle.dumps(value)) is value
    assert json.dumps({"status": value}) == '{"status": "hibernating"}'


@pytest.mark.parametrize("cls", OPEN_ENUMS, ids=lambda cls: cls.__name__)
def test_an_open_enum_lists_its_members_as_before(cls: type[OpenStrEnum]) -> None:
    for member in cls:
        assert member.known
        assert cls(member.value) is member
    with pytest.raises(ValueError, match="not a valid"):
        cls(7)  # type: ignore[arg-type]


def test_a_value_named_like_a_member_is_still_not_that_member() -> None:
    # The stand-in's name is its value upper-cased: "RUNNING" must not pass for RUNNING.
    value = ActionStatus("RUNNING")
    assert value is not ActionStatus.RUNNING
    assert not value.known


def test_a_model_with_an_unlisted_status_pickles() -> None:
    action = _action(ActionStatus("paused"))
    assert pickle.loads(pickle.dumps(action)).status is action.status


def test_action_hashes_by_id() -> None:
    before, after = _action(progress=0), _action(ActionStatus.SUCCESS, progress=100)
    assert before != after
    assert hash(before) == hash(after)
    assert hash(_action(id=1)) != hash(_action(id=2))
    by_action = {before: "polling"}
    assert by_action[before] == "polling"


def test_models_are_frozen() -> None:
    action = _action()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        action.progress = 50  # type: ignore[misc]


# --- public surface --------------------------------------------------------------------------

PUBLIC = [getattr(models, name) for name in models.__all__]


def test_all_names_exist_and_are_unique() -> None:
    assert len(set(models.__all__)) == len(models.__all__)
    assert all(inspect.isclass(obj) for obj in PUBLIC)


def test_every_model_in_the_package_is_exported() -> None:
    modules = [
        importlib.import_module(f"{models.__name__}.{module.name}")
        for module in pkgutil.iter_modules(models.__path__)
    ]
    assert len(modules) >= 6, "found no model modules: the discovery is broken"
    defined = {
        obj
        for module in modules
        for obj in vars(module).values()
        if inspect.isclass(obj) and obj.__module__ == module.__name__
    }
    assert defined == set(PUBLIC)


@pytest.mark.parametrize("cls", PUBLIC, ids=[cls.__name__ for cls in PUBLIC])
def test_public_classes_and_properties_have_docstrings(cls: type) -> None:
    assert cls.__doc__
    for name, member in vars(cls).items():
        if isinstance(member, property):
            assert member.__doc__, f"{cls.__name__}.{name}"
