"""Every list endpoint sorts (the hcloud CLI sends ``sort=id:asc`` everywhere), pages, and
ignores query parameters it does not know; the catalog's filters and ``/pricing``."""

from typing import Any

import pytest

from hetzner_async.testing import ManualClock

from .conftest import Api

SSH_KEYS = [
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAEEzathDQEO4xm/Fh+Tzlyib4EyErZgX8zHkKAfC3CM a",
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFR6IpL5bZFq8dFMTAxq4yiA3M5Szuwzt+BOQm3frY1z c",
]


async def populate(api: Api, clock: ManualClock) -> dict[str, int]:
    """Two of each resource, named so that name order is the reverse of id order."""
    ids: dict[str, int] = {}
    for name in ("zeta", "alpha"):
        ids[name] = (await api.create_server(name)).body["server"]["id"]
        await api.post("/firewalls", {"name": f"fw-{name}", "rules": []})
        await api.post("/ssh_keys", {"name": name, "public_key": SSH_KEYS[len(ids) - 1]})
    clock.advance(3.0)
    await api.post(f"/servers/{ids['zeta']}/actions/reboot")
    fid = (await api.get("/firewalls", params={"name": "fw-zeta"})).body["firewalls"][0]["id"]
    sid = ids["zeta"]
    await api.post(
        f"/firewalls/{fid}/actions/apply_to_resources",
        {"apply_to": [{"type": "server", "server": {"id": sid}}]},
    )
    return {"server": sid, "firewall": fid}


LISTS = [
    ("/servers", "servers", True),
    ("/ssh_keys", "ssh_keys", True),
    ("/firewalls", "firewalls", True),
    ("/images", "images", True),
    ("/server_types", "server_types", True),
    ("/locations", "locations", True),
    ("/datacenters", "datacenters", True),
    ("/isos", "isos", True),
    ("/load_balancer_types", "load_balancer_types", True),
    ("/servers/actions", "actions", False),
    ("/firewalls/actions", "actions", False),
    ("/images/actions", "actions", False),
    ("/servers/{server}/actions", "actions", False),
    ("/firewalls/{firewall}/actions", "actions", False),
]


def ids_of(reply: Any, key: str) -> list[int]:
    assert reply.status == 200, reply.body
    return [item["id"] for item in reply.body[key]]


@pytest.mark.parametrize(("path", "key", "named"), LISTS)
async def test_every_list_sorts_pages_and_ignores_unknown_parameters(
    api: Api, clock: ManualClock, path: str, key: str, named: bool
) -> None:
    path = path.format(**await populate(api, clock))
    plain = ids_of(await api.get(path), key)
    assert plain == sorted(plain)
    everything = ids_of(await api.get(path, params={"per_page": "50"}), key)
    if key != "actions":
        assert len(everything) >= 2
    assert ids_of(await api.get(path, params={"sort": "id:asc", "per_page": "50"}), key) == (
        everything
    )
    assert (
        ids_of(await api.get(path, params={"sort": "id:desc", "per_page": "50"}), key)
        == (everything[::-1])
    )
    assert ids_of(await api.get(path, params={"sort": "id", "no_such_filter": "1"}), key) == (plain)
    if named:
        names = await api.get(path, params={"sort": "name:desc", "per_page": "50"})
        listed = [item["name"] for item in names.body[key]]
        assert listed == sorted(listed, reverse=True)
    else:
        commands = await api.get(path, params={"sort": "command", "per_page": "50"})
        listed = [item["command"] for item in commands.body[key]]
        assert listed == sorted(listed)
    page = await api.get(path, params={"per_page": "1", "page": "2"})
    assert page.body["meta"]["pagination"]["per_page"] == 1
    assert ids_of(page, key) == everything[1:2]
    refused = await api.get(path, params={"sort": "colour"})
    assert refused.status == 422
    assert refused.body["error"]["details"]["fields"][0]["name"] == "sort"


async def test_catalog_lists_filter_by_name_and_architecture(api: Api) -> None:
    async def names(path: str, key: str, **params: str) -> list[str]:
        reply = await api.get(path, params={"per_page": "50", **params})
        assert reply.status == 200, reply.body
        return [item["name"] for item in reply.body[key]]

    assert await names("/server_types", "server_types", name="cx22") == ["cx22"]
    assert set(await names("/server_types", "server_types", architecture="arm")) == {
        "cax11",
        "cax21",
    }
    assert await names("/locations", "locations", name="hel1") == ["hel1"]
    assert await names("/datacenters", "datacenters", name="ash-dc1") == ["ash-dc1"]
    assert await names("/load_balancer_types", "load_balancer_types", name="lb21") == ["lb21"]
    assert await names("/isos", "isos", architecture="arm") == [
        "FreeBSD-14.1-RELEASE-arm64-dvd1.iso"
    ]
    arm = await names("/isos", "isos", architecture="arm", include_architecture_wildcard="true")
    assert arm == ["FreeBSD-14.1-RELEASE-arm64-dvd1.iso"]
    debian = await names("/images", "images", name="debian-12")
    assert debian == ["debian-12", "debian-12"]  # one per architecture
    assert await names("/images", "images", name="debian-12", architecture="arm") == ["debian-12"]
    assert len(await names("/images", "images", type="system")) == 16
    assert await names("/images", "images", type="snapshot") == []
    assert await names("/images", "images", status="creating") == []
    assert await names("/images", "images", bound_to="1") == []
    assert len(await names("/images", "images", include_deprecated="true")) == 16
    bad = await api.get("/images", params={"type": "floppy"})
    assert (bad.status, bad.body["error"]["details"]["fields"][0]["name"]) == (422, "type")
    bad = await api.get("/images", params={"include_deprecated": "maybe"})
    assert bad.status == 422


async def test_catalog_items_by_id(api: Api) -> None:
    for path, key, name in (
        ("/server_types/104", "server_type", "cx22"),
        ("/locations/3", "location", "hel1"),
        ("/datacenters/4", "datacenter", "fsn1-dc14"),
        ("/isos/7631", "iso", "virtio-win-0.1.248.iso"),
        ("/images/114690387", "image", "debian-12"),
        ("/load_balancer_types/1", "load_balancer_type", "lb11"),
    ):
        reply = await api.get(path)
        assert reply.status == 200, path
        assert reply.body[key]["name"] == name
    missing = await api.get("/load_balancer_types/99")
    assert (missing.status, missing.body["error"]["code"]) == (404, "not_found")


async def test_pricing_lists_every_type(api: Api) -> None:
    pricing = (await api.get("/pricing")).body["pricing"]
    assert pricing["currency"] == "EUR"
    types = (await api.get("/server_types", params={"per_page": "50"})).body["server_types"]
    assert [t["name"] for t in pricing["server_types"]] == sorted(
        (t["name"] for t in types), key=[t["name"] for t in pricing["server_types"]].index
    )
    assert {t["id"] for t in pricing["server_types"]} == {t["id"] for t in types}
    assert [t["name"] for t in pricing["load_balancer_types"]] == ["lb11", "lb21", "lb31"]


async def test_actions_by_id_still_need_ids(api: Api) -> None:
    reply = await api.get("/actions", params={"sort": "id:asc"})
    assert reply.status == 422
    assert reply.body["error"]["details"]["fields"][0]["name"] == "id"
