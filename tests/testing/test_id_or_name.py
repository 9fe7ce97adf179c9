"""Every "ID or name" field takes an integer id, the id as a string, or a name.

The spec writes ``type: string``; the official clients (hcloud-python, the hcloud CLI) send the
integer id of an object they fetched, and the real API accepts all three forms.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest

from hetzner_async.testing import ManualClock

from .conftest import Api

SSH_KEY = (
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAEEzathDQEO4xm/Fh+Tzlyib4EyErZgX8zHkKAfC3CM "
    "alice@example.com"
)

Target = tuple[int, str]


async def ssh_key(api: Api) -> Target:
    key = (await api.post("/ssh_keys", {"name": "alice", "public_key": SSH_KEY})).body["ssh_key"]
    return key["id"], key["name"]


async def firewall(api: Api) -> Target:
    found = (await api.post("/firewalls", {"name": "edge"})).body["firewall"]
    return found["id"], found["name"]


async def server(api: Api, clock: ManualClock, **fields: Any) -> dict[str, Any]:
    created: dict[str, Any] = (await api.create_server("srv", **fields)).body["server"]
    clock.advance(2.0)
    return created


async def after_action(api: Api, clock: ManualClock, sid: int, reply: Any) -> dict[str, Any]:
    assert reply.status == 201, reply.body
    clock.advance(1.0)
    found: dict[str, Any] = (await api.get(f"/servers/{sid}")).body["server"]
    return found


async def create_with(api: Api, fields: dict[str, Any]) -> dict[str, Any]:
    reply = await api.post(
        "/servers", {"name": "new", "server_type": "cx22", "image": "debian-12", **fields}
    )
    assert reply.status == 201, reply.body
    created: dict[str, Any] = reply.body["server"]
    return created


async def create_server_type(api: Api, clock: ManualClock, ref: object) -> str:
    return str((await create_with(api, {"server_type": ref}))["server_type"]["name"])


async def create_image(api: Api, clock: ManualClock, ref: object) -> str:
    return str((await create_with(api, {"image": ref}))["image"]["name"])


async def create_location(api: Api, clock: ManualClock, ref: object) -> str:
    return str((await create_with(api, {"location": ref}))["location"]["name"])


async def create_datacenter(api: Api, clock: ManualClock, ref: object) -> str:
    return str((await create_with(api, {"datacenter": ref}))["datacenter"]["name"])


async def create_ssh_keys(api: Api, clock: ManualClock, ref: object) -> str:
    reply = await api.post(
        "/servers", {"name": "new", "server_type": "cx22", "image": "debian-12", "ssh_keys": [ref]}
    )
    assert reply.status == 201, reply.body
    assert reply.body["root_password"] is None  # the key was found
    return "alice"


async def create_firewalls(api: Api, clock: ManualClock, ref: object) -> str:
    created = await create_with(api, {"firewalls": [{"firewall": ref}]})
    [applied] = created["public_net"]["firewalls"]
    return str((await api.get(f"/firewalls/{applied['id']}")).body["firewall"]["name"])


async def rebuild_image(api: Api, clock: ManualClock, ref: object) -> str:
    sid = (await server(api, clock))["id"]
    reply = await api.post(f"/servers/{sid}/actions/rebuild", {"image": ref})
    return str((await after_action(api, clock, sid, reply))["image"]["name"])


async def change_type_server_type(api: Api, clock: ManualClock, ref: object) -> str:
    sid = (await server(api, clock, start_after_create=False))["id"]
    body = {"server_type": ref, "upgrade_disk": False}
    reply = await api.post(f"/servers/{sid}/actions/change_type", body)
    return str((await after_action(api, clock, sid, reply))["server_type"]["name"])


async def attach_iso_iso(api: Api, clock: ManualClock, ref: object) -> str:
    sid = (await server(api, clock))["id"]
    reply = await api.post(f"/servers/{sid}/actions/attach_iso", {"iso": ref})
    return str((await after_action(api, clock, sid, reply))["iso"]["name"])


async def enable_rescue_ssh_keys(api: Api, clock: ManualClock, ref: object) -> str:
    sid = (await server(api, clock))["id"]
    reply = await api.post(f"/servers/{sid}/actions/enable_rescue", {"ssh_keys": [ref]})
    assert (await after_action(api, clock, sid, reply))["rescue_enabled"] is True
    return "alice"


async def create_load_balancer(api: Api, fields: dict[str, Any]) -> dict[str, Any]:
    body = {"name": "lb", "load_balancer_type": "lb11", "location": "fsn1", **fields}
    reply = await api.post("/load_balancers", body)
    assert reply.status == 201, reply.body
    created: dict[str, Any] = reply.body["load_balancer"]
    return created


async def load_balancer_type(api: Api, clock: ManualClock, ref: object) -> str:
    created = await create_load_balancer(api, {"load_balancer_type": ref})
    return str(created["load_balancer_type"]["name"])


async def load_balancer_location(api: Api, clock: ManualClock, ref: object) -> str:
    return str((await create_load_balancer(api, {"location": ref}))["location"]["name"])


async def change_type_load_balancer_type(api: Api, clock: ManualClock, ref: object) -> str:
    lb_id = (await create_load_balancer(api, {}))["id"]
    clock.advance(1.0)
    path = f"/load_balancers/{lb_id}"
    reply = await api.post(f"{path}/actions/change_type", {"load_balancer_type": ref})
    assert reply.status == 201, reply.body
    clock.advance(1.0)
    return str((await api.get(path)).body["load_balancer"]["load_balancer_type"]["name"])


async def create_primary_ip(api: Api, fields: dict[str, Any]) -> dict[str, Any]:
    body = {"name": "ip", "type": "ipv4", "assignee_type": "server", **fields}
    reply = await api.post("/primary_ips", body)
    assert reply.status == 201, reply.body
    created: dict[str, Any] = reply.body["primary_ip"]
    return created


async def primary_ip_location(api: Api, clock: ManualClock, ref: object) -> str:
    return str((await create_primary_ip(api, {"location": ref}))["location"]["name"])


async def primary_ip_datacenter(api: Api, clock: ManualClock, ref: object) -> str:
    return str((await create_primary_ip(api, {"datacenter": ref}))["datacenter"]["name"])


async def volume_location(api: Api, clock: ManualClock, ref: object) -> str:
    reply = await api.post("/volumes", {"name": "data", "size": 10, "location": ref})
    assert reply.status == 201, reply.body
    return str(reply.body["volume"]["location"]["name"])


async def floating_ip_home_location(api: Api, clock: ManualClock, ref: object) -> str:
    body = {"type": "ipv4", "home_location": ref}
    reply = await api.post("/floating_ips", body)
    assert reply.status == 201, reply.body
    return str(reply.body["floating_ip"]["home_location"]["name"])


@dataclass
class Case:
    """One "ID or name" field: the object it should name, and a request that sends it."""

    field: str
    target: Target | Callable[[Api], Awaitable[Target]]
    send: Callable[[Api, ManualClock, object], Awaitable[str]]


CASES = [
    Case("POST /servers server_type", (105, "cx32"), create_server_type),
    Case("POST /servers image", (161547269, "ubuntu-24.04"), create_image),
    Case("POST /servers location", (2, "nbg1"), create_location),
    Case("POST /servers datacenter", (3, "hel1-dc2"), create_datacenter),
    Case("POST /servers ssh_keys[]", ssh_key, create_ssh_keys),
    Case("POST /servers firewalls[].firewall", firewall, create_firewalls),
    Case("rebuild image", (67794397, "ubuntu-22.04"), rebuild_image),
    Case("change_type server_type", (105, "cx32"), change_type_server_type),
    Case("attach_iso iso", (8637, "FreeBSD-14.1-RELEASE-amd64-dvd1.iso"), attach_iso_iso),
    Case("enable_rescue ssh_keys[]", ssh_key, enable_rescue_ssh_keys),
    Case("POST /load_balancers load_balancer_type", (1, "lb11"), load_balancer_type),
    Case("POST /load_balancers location", (2, "nbg1"), load_balancer_location),
    Case("load balancer change_type", (2, "lb21"), change_type_load_balancer_type),
    Case("POST /primary_ips location", (3, "hel1"), primary_ip_location),
    Case("POST /primary_ips datacenter", (3, "hel1-dc2"), primary_ip_datacenter),
    Case("POST /volumes location", (2, "nbg1"), volume_location),
    Case("POST /floating_ips home_location", (2, "nbg1"), floating_ip_home_location),
]
FORMS = {
    "integer id": lambda target: target[0],
    "id as string": lambda target: str(target[0]),
    "name": lambda target: target[1],
}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("case", CASES, ids=[case.field for case in CASES])
async def test_each_form_names_the_same_object(
    api: Api, clock: ManualClock, case: Case, form: str
) -> None:
    target = case.target if isinstance(case.target, tuple) else await case.target(api)
    assert await case.send(api, clock, FORMS[form](target)) == target[1]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"server_type": 999999}, "server_type"),
        ({"server_type": True}, "server_type"),
        ({"server_type": 104.0}, "server_type"),
        ({"image": {"id": 114690387}}, "image"),
        ({"location": ["fsn1"]}, "location"),
        ({"datacenter": 99}, "datacenter"),
        ({"ssh_keys": [12345]}, "ssh_keys"),
        ({"ssh_keys": [None]}, "ssh_keys"),
        ({"firewalls": [{"firewall": "nope"}]}, "firewalls"),
        ({"firewalls": [{"firewall": None}]}, "firewalls"),
    ],
)
async def test_unknown_references_and_wrong_types_are_invalid_input(
    api: Api, fields: dict[str, Any], field: str
) -> None:
    body = {"name": "x", "server_type": "cx22", "image": "debian-12", **fields}
    reply = await api.post("/servers", body)
    assert reply.status == 422
    assert reply.body["error"]["code"] == "invalid_input"
    assert [f["name"] for f in reply.body["error"]["details"]["fields"]] == [field]


async def test_an_image_id_of_the_other_architecture_is_refused(api: Api) -> None:
    arm_debian = 114690389
    reply = await api.post("/servers", {"name": "x", "server_type": "cx22", "image": arm_debian})
    assert reply.status == 422
    assert reply.body["error"]["details"]["fields"][0]["name"] == "image"
    by_name = await api.create_server("y", server_type="cax11", image="debian-12")
    assert by_name.body["server"]["image"]["id"] == arm_debian


async def test_unknown_references_in_actions(api: Api, clock: ManualClock) -> None:
    sid = (await server(api, clock))["id"]
    iso = await api.post(f"/servers/{sid}/actions/attach_iso", {"iso": 1})
    assert (iso.status, iso.body["error"]["code"]) == (422, "invalid_input")
    rebuild = await api.post(f"/servers/{sid}/actions/rebuild", {"image": False})
    assert rebuild.body["error"]["details"]["fields"][0]["name"] == "image"
    keys = await api.post(f"/servers/{sid}/actions/enable_rescue", {"ssh_keys": ["nobody"]})
    assert keys.body["error"]["details"]["fields"][0]["name"] == "ssh_keys"
    await api.post(f"/servers/{sid}/actions/poweroff")
    clock.advance(1.0)
    change = await api.post(
        f"/servers/{sid}/actions/change_type", {"server_type": 1, "upgrade_disk": False}
    )
    assert change.body["error"]["code"] == "invalid_server_type"
