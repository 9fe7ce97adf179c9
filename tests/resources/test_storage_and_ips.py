"""Volumes, placement groups and IPs beyond the wire table: validation before any request, the
deprecated ``datacenter``, and creates that adopt what an ambiguous try made."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest
from aioresponses import CallbackResult, aioresponses

from hetzner_async import HetznerClient
from hetzner_async.errors import ValidationError
from hetzner_async.resources._base import CREATE_MARKER

from .._spec import response_example, validate_request
from ..wire import sent
from .cases._core import ACTION, LAST_PAGE

INVALID = [
    ("volumes.create", {"name": "db_", "size": 10, "location": "fsn1"}, "name"),
    ("volumes.create", {"name": "db", "size": 5, "location": "fsn1"}, "size"),
    ("volumes.create", {"name": "db", "size": 20000, "server": 1}, "size"),
    ("volumes.create", {"name": "db", "size": 10}, "location"),
    (
        "volumes.create",
        {"name": "db", "size": 10, "location": "fsn1", "automount": True},
        "automount",
    ),
    ("volumes.create", {"name": "db", "size": 10, "server": 0}, "server"),
    ("volumes.create", {"name": "db", "size": 10, "server": 1, "format": "ntfs"}, "format"),
    ("volumes.create", {"name": "db", "size": 10, "server": 1, "labels": {"-x": ""}}, "labels"),
    ("volumes.update", {"volume_id": 1, "name": "-db"}, "name"),
    ("volumes.attach", {"volume_id": 1, "server": -1}, "server"),
    ("volumes.resize", {"volume_id": 1, "size": 10241}, "size"),
    ("volumes.detach", {"volume_id": 0}, "volume_id"),
    ("placement_groups.create", {"name": "", "type": "spread"}, "name"),
    ("placement_groups.create", {"name": "pg", "type": ""}, "type"),
    ("placement_groups.update", {"placement_group_id": 1, "labels": {"a": "b c"}}, "labels"),
    ("primary_ips.create", {"name": "ip", "type": "ipv5", "location": "fsn1"}, "type"),
    ("primary_ips.create", {"name": "", "type": "ipv4", "location": "fsn1"}, "name"),
    ("primary_ips.create", {"name": "ip", "type": "ipv4"}, "location"),
    ("primary_ips.create", {"name": "ip", "type": "ipv4", "assignee_id": 0}, "assignee_id"),
    (
        "primary_ips.create",
        {"name": "ip", "type": "ipv4", "location": "fsn1", "assignee_type": "server"},
        "assignee_type",
    ),
    (
        "primary_ips.create",
        {"name": "ip", "type": "ipv4", "assignee_id": 17, "assignee_type": ""},
        "assignee_type",
    ),
    (
        "primary_ips.create",
        {"name": "ip", "type": "ipv4", "location": "fsn1", "datacenter": "fsn1-dc14"},
        "datacenter",
    ),
    ("primary_ips.assign", {"primary_ip_id": 1, "assignee_id": 0}, "assignee_id"),
    (
        "primary_ips.change_dns_ptr",
        {"primary_ip_id": 1, "ip": "2001:db8::/64", "dns_ptr": "a"},
        "ip",
    ),
    (
        "primary_ips.change_dns_ptr",
        {"primary_ip_id": 1, "ip": "2001:db8::1", "dns_ptr": ""},
        "dns_ptr",
    ),
    ("floating_ips.create", {"type": "ipv4"}, "home_location"),
    ("floating_ips.create", {"type": "v4", "home_location": "fsn1"}, "type"),
    ("floating_ips.create", {"type": "ipv4", "server": -3}, "server"),
    ("floating_ips.create", {"type": "ipv4", "server": 3, "name": " "}, "name"),
    ("floating_ips.assign", {"floating_ip_id": 1, "server": 0}, "server"),
    ("floating_ips.change_dns_ptr", {"floating_ip_id": 1, "ip": "fsn1", "dns_ptr": None}, "ip"),
]


@pytest.mark.parametrize(("call", "kwargs", "field"), INVALID, ids=[c for c, _, _ in INVALID])
async def test_bad_input_fails_before_any_request(
    hz: HetznerClient, api: aioresponses, call: str, kwargs: dict[str, Any], field: str
) -> None:
    group, method = call.split(".")
    kwargs = dict(kwargs)
    ident = next((k for k in kwargs if k.endswith("_id") and k != "assignee_id"), None)
    args = (kwargs.pop(ident),) if ident else ()
    with pytest.raises(ValidationError) as raised:
        await getattr(getattr(hz, group), method)(*args, **kwargs)
    assert raised.value.field == field
    assert sent(api) == []


async def test_deprecated_datacenter_is_sent_as_given_with_a_warning(
    hz: HetznerClient, api: aioresponses
) -> None:
    """The API still documents ``datacenter`` (ID or name): it goes out unchanged."""
    api.post(
        "http://127.0.0.1:9/v1/primary_ips",
        status=201,
        payload=response_example("POST", "/v1/primary_ips"),
    )
    with pytest.warns(DeprecationWarning, match="location"):
        await hz.primary_ips.create(name="ip-1", type="ipv4", datacenter=4)
    ((method, path, _, body),) = sent(api)
    validate_request(method, path, body)
    assert body["datacenter"] == 4
    assert "location" not in body


async def test_location_by_id_follows_the_spec_of_each_create(
    hz: HetznerClient, api: aioresponses
) -> None:
    """Primary and Floating IPs take a location's ID as a number; volumes as a string."""
    for path in ("primary_ips", "floating_ips", "volumes"):
        api.post(
            f"http://127.0.0.1:9/v1/{path}",
            status=201,
            payload=response_example("POST", f"/v1/{path}"),
        )
    await hz.primary_ips.create(name="ip-1", type="ipv6", location=1)
    await hz.floating_ips.create(type="ipv6", home_location=1)
    await hz.volumes.create(name="db-1", size=10, location=1)
    bodies = {path: body for _, path, _, body in sent(api)}
    for path, body in bodies.items():
        validate_request("POST", path, body)
    assert bodies["/v1/primary_ips"]["location"] == 1
    assert bodies["/v1/floating_ips"]["home_location"] == 1
    assert bodies["/v1/volumes"]["location"] == "1"


# --- creates whose outcome was ambiguous ---------------------------------------------------


def _action(action_id: int, command: str) -> dict[str, Any]:
    action: dict[str, Any] = copy.deepcopy(ACTION["action"])
    action.update(id=action_id, command=command)
    return action


class _Api:
    """The first POST fails with a 500 (ambiguous), after the resource was made with its marker."""

    def __init__(self, api: aioresponses, path: str, key: str, item: dict[str, Any]) -> None:
        self.item = item
        self.marker: str | None = None
        self.base = f"http://127.0.0.1:9/v1/{path}"
        api.post(self.base, callback=self._remember)
        api.get(re.compile(rf"^{re.escape(self.base)}\?.*$"), callback=self._listing(key))

    def _remember(self, url: Any, **kwargs: Any) -> CallbackResult:
        body = json.loads(kwargs["data"])
        self.marker = body["labels"][CREATE_MARKER]
        self.item["labels"] = body["labels"]
        return CallbackResult(status=500, payload={"error": {"code": "server_error"}})

    def _listing(self, key: str) -> Any:
        def answer(url: Any, **kwargs: Any) -> CallbackResult:
            return CallbackResult(payload={key: [self.item], "meta": LAST_PAGE})

        return answer


def _actions_page(*actions: dict[str, Any]) -> dict[str, Any]:
    return {"actions": list(actions), "meta": LAST_PAGE}


@pytest.mark.parametrize("attached", [True, False], ids=["for-a-server", "in-a-location"])
async def test_an_ambiguous_volume_create_adopts_the_volume_and_its_actions(
    hz: HetznerClient, api: aioresponses, attached: bool
) -> None:
    volume = response_example("POST", "/v1/volumes")["volume"]
    _Api(api, "volumes", "volumes", volume)
    actions = [_action(21, "create_volume"), _action(22, "attach_volume")]
    api.get(
        re.compile(r"^http://127\.0\.0\.1:9/v1/volumes/4711/actions\?.*$"),
        payload=_actions_page(*(actions if attached else actions[:1])),
    )
    where: dict[str, Any] = {"server": 12} if attached else {"location": "fsn1"}
    result = await hz.volumes.create(name="database-storage", size=42, **where)
    assert result.volume.id == 4711
    assert result.action.id == 21
    assert [a.id for a in result.next_actions] == ([22] if attached else [])
    requests = [(m, p, q) for m, p, q, _ in sent(api)]
    assert [(m, p) for m, p, _ in requests] == [
        ("POST", "/v1/volumes"),
        ("GET", "/v1/volumes"),
        ("GET", "/v1/volumes/4711/actions"),
    ]
    assert ("name", "database-storage") in requests[1][2]
    assert ("sort", "id") in requests[2][2]


async def test_an_ambiguous_placement_group_create_adopts_the_group(
    hz: HetznerClient, api: aioresponses
) -> None:
    group = response_example("POST", "/v1/placement_groups")["placement_group"]
    _Api(api, "placement_groups", "placement_groups", group)
    result = await hz.placement_groups.create(name="my Placement Group", type="spread")
    assert result.placement_group.id == 897
    assert result.action is None
    assert [(m, p) for m, p, _, _ in sent(api)] == [
        ("POST", "/v1/placement_groups"),
        ("GET", "/v1/placement_groups"),
    ]


async def test_an_ambiguous_primary_ip_create_adopts_the_ip_and_its_assign_action(
    hz: HetznerClient, api: aioresponses
) -> None:
    primary_ip = response_example("POST", "/v1/primary_ips")["primary_ip"]
    _Api(api, "primary_ips", "primary_ips", primary_ip)
    api.get(
        re.compile(r"^http://127\.0\.0\.1:9/v1/primary_ips/42/actions\?.*$"),
        payload=_actions_page(_action(31, "assign_primary_ip")),
    )
    result = await hz.primary_ips.create(name="my-ip", type="ipv6", assignee_id=17)
    assert result.primary_ip.id == 42
    assert result.action is not None
    assert result.action.id == 31


async def test_an_ambiguous_nameless_floating_ip_create_is_found_by_its_marker(
    hz: HetznerClient, api: aioresponses
) -> None:
    """Without a name there is nothing to look up by name: the create marker finds it."""
    floating_ip = response_example("POST", "/v1/floating_ips")["floating_ip"]
    fake = _Api(api, "floating_ips", "floating_ips", floating_ip)
    api.get(
        re.compile(r"^http://127\.0\.0\.1:9/v1/floating_ips/4711/actions\?.*$"),
        payload=_actions_page(_action(41, "assign_floating_ip")),
    )
    result = await hz.floating_ips.create(type="ipv6", server=42)
    assert result.floating_ip.id == 4711
    assert result.action is not None
    assert result.action.id == 41
    requests = sent(api)
    assert [(m, p) for m, p, _, _ in requests] == [
        ("POST", "/v1/floating_ips"),
        ("GET", "/v1/floating_ips"),
        ("GET", "/v1/floating_ips/4711/actions"),
    ]
    assert ("label_selector", f"{CREATE_MARKER}={fake.marker}") in requests[1][2]
    assert "name" not in requests[0][3]


async def test_a_nameless_floating_ip_create_that_made_nothing_is_sent_again(
    hz: HetznerClient, api: aioresponses
) -> None:
    url = "http://127.0.0.1:9/v1/floating_ips"
    api.post(url, status=503, payload={"error": {"code": "unavailable", "message": "down"}})
    api.get(re.compile(rf"^{re.escape(url)}\?.*$"), payload={"floating_ips": [], "meta": LAST_PAGE})
    api.post(url, status=201, payload=response_example("POST", "/v1/floating_ips"))
    result = await hz.floating_ips.create(type="ipv4", home_location="fsn1")
    assert result.floating_ip.id == 4711
    posts = [body for method, _, _, body in sent(api) if method == "POST"]
    assert len(posts) == 2
    assert posts[0] == posts[1]  # the same marker: a third look-up would find either
