"""Servers: create validation, list (pagination, filters, sort), update, delete, status."""

import pytest

from hetzner_async.testing import FakeHetznerCloud, ManualClock

from .conftest import Api

SSH_KEY = (
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAEEzathDQEO4xm/Fh+Tzlyib4EyErZgX8zHkKAfC3CM "
    "alice@example.com"
)


async def test_create_returns_server_actions_and_password(api: Api, fake: FakeHetznerCloud) -> None:
    reply = await api.create_server("web-1", labels={"env": "prod"}, location="nbg1")
    body = reply.body
    server = body["server"]
    assert server["name"] == "web-1"
    assert server["status"] == "initializing"
    assert server["locked"] is True
    assert server["server_type"]["name"] == "cx22"
    assert server["image"]["name"] == "debian-12"
    assert server["location"]["name"] == "nbg1"
    assert server["datacenter"]["location"]["name"] == "nbg1"
    assert server["labels"] == {"env": "prod"}
    assert body["action"]["command"] == "create_server"
    assert body["action"]["status"] == "running"
    assert body["action"]["resources"] == [{"id": server["id"], "type": "server"}]
    assert [a["command"] for a in body["next_actions"]] == ["start_server"]
    assert isinstance(body["root_password"], str)
    assert body["root_password"]
    assert fake.state.servers[server["id"]]["name"] == "web-1"


async def test_create_with_ssh_key_has_no_root_password(api: Api) -> None:
    key = await api.post("/ssh_keys", {"name": "alice", "public_key": SSH_KEY})
    by_name = await api.create_server("a", ssh_keys=["alice"])
    by_id = await api.create_server("b", ssh_keys=[str(key.body["ssh_key"]["id"])])
    assert by_name.body["root_password"] is None
    assert by_id.body["root_password"] is None


async def test_image_name_follows_the_server_type_architecture(api: Api) -> None:
    arm = await api.create_server("arm-1", server_type="cax11", image="ubuntu-24.04")
    x86 = await api.create_server("x86-1", server_type="cpx11", image="ubuntu-24.04")
    assert arm.body["server"]["image"]["architecture"] == "arm"
    assert x86.body["server"]["image"]["architecture"] == "x86"
    assert arm.body["server"]["image"]["id"] != x86.body["server"]["image"]["id"]


async def test_status_moves_through_create_and_start(
    api: Api, clock: ManualClock, fake: FakeHetznerCloud
) -> None:
    sid = (await api.create_server("web-1")).body["server"]["id"]
    clock.advance(0.5)
    assert (await api.get(f"/servers/{sid}")).body["server"]["status"] == "initializing"
    clock.advance(0.6)
    server = (await api.get(f"/servers/{sid}")).body["server"]
    assert server["status"] == "starting"
    assert server["locked"] is True
    clock.advance(1.0)
    server = (await api.get(f"/servers/{sid}")).body["server"]
    assert server["status"] == "running"
    assert server["locked"] is False


async def test_start_after_create_false_ends_off(api: Api, clock: ManualClock) -> None:
    reply = await api.create_server("cold", start_after_create=False)
    assert reply.body["next_actions"] == []
    clock.advance(1.0)
    assert (await api.get(f"/servers/{reply.body['server']['id']}")).body["server"][
        "status"
    ] == "off"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "not a hostname"}, "name"),
        ({"name": "-leading-dash"}, "name"),
        ({"name": "a" * 64}, "name"),
        ({"server_type": "cx9000"}, "server_type"),
        ({"image": "windows-95"}, "image"),
        ({"location": "mars1"}, "location"),
        ({"server_type": "cax11", "location": "ash"}, "server_type"),
        ({"ssh_keys": ["nobody"]}, "ssh_keys"),
        ({"firewalls": [{"firewall": 999}]}, "firewalls"),
        ({"user_data": "x" * (32 * 1024 + 1)}, "user_data"),
        ({"labels": {"hetzner.cloud/x": "y"}}, "labels"),
        ({"start_after_create": "yes"}, "start_after_create"),
        ({"server_type": None}, "server_type"),
        ({"location": "fsn1", "datacenter": "fsn1-dc14"}, "location"),
    ],
)
async def test_create_rejects_invalid_input(api: Api, fields: dict, field: str) -> None:
    body = {"name": "ok", "server_type": "cx22", "image": "debian-12", **fields}
    reply = await api.post("/servers", body)
    assert reply.status == 422
    error = reply.body["error"]
    assert error["code"] == "invalid_input"
    assert [f["name"] for f in error["details"]["fields"]] == [field]
    assert error["details"]["fields"][0]["messages"]


async def test_user_data_at_the_limit_is_accepted(api: Api) -> None:
    await api.create_server("big", user_data="x" * (32 * 1024))


async def test_duplicate_name_is_a_uniqueness_error(api: Api, fake: FakeHetznerCloud) -> None:
    await api.create_server("web-1")
    reply = await api.post(
        "/servers", {"name": "web-1", "server_type": "cx22", "image": "debian-12"}
    )
    assert reply.status == 409
    assert reply.body["error"]["code"] == "uniqueness_error"
    assert reply.body["error"]["details"] == {"fields": [{"name": "name"}]}
    assert len(fake.state.servers) == 1


async def test_json_error_and_method_not_allowed_and_not_found(api: Api) -> None:
    broken = await api.call("POST", "/servers", data=b"{not json")
    assert broken.status == 400
    assert broken.body["error"]["code"] == "json_error"
    patch = await api.call("PATCH", "/servers")
    assert patch.status == 405
    assert patch.body["error"]["code"] == "method_not_allowed"
    missing = await api.get("/servers/12345")
    assert missing.status == 404
    assert missing.body["error"]["code"] == "not_found"
    unknown = await api.get("/no_such_collection")
    assert unknown.status == 404


async def test_unauthorized(api: Api, fake: FakeHetznerCloud) -> None:
    reply = await api.post("/servers", {"name": "x"}, token="nope")
    assert reply.status == 401
    assert reply.body["error"]["code"] == "unauthorized"
    assert fake.state.servers == {}


async def test_pagination_across_pages(api: Api) -> None:
    for i in range(7):
        await api.create_server(f"s{i}")
    seen = []
    page = 1
    while page is not None:
        reply = await api.get("/servers", params={"per_page": "3", "page": str(page)})
        meta = reply.body["meta"]["pagination"]
        assert meta["per_page"] == 3
        assert meta["total_entries"] == 7
        assert meta["last_page"] == 3
        seen += [s["name"] for s in reply.body["servers"]]
        link = reply.headers["Link"]
        assert 'rel="last"' in link
        assert ('rel="next"' in link) == (meta["next_page"] is not None)
        assert ('rel="prev"' in link) == (meta["previous_page"] is not None)
        page = meta["next_page"]
    assert seen == [f"s{i}" for i in range(7)]
    clamped = await api.get("/servers", params={"per_page": "500"})
    assert clamped.body["meta"]["pagination"]["per_page"] == 50
    bad = await api.get("/servers", params={"page": "zero"})
    assert bad.status == 422


async def test_filters_and_sort(api: Api, clock: ManualClock) -> None:
    await api.create_server("b-web", labels={"env": "prod", "role": "web"})
    clock.advance(1.0)
    await api.create_server("a-db", labels={"env": "prod", "role": "db"})
    clock.advance(1.0)
    await api.create_server("c-dev", labels={"env": "dev"}, start_after_create=False)
    clock.advance(5.0)

    async def names(**params: str | list[tuple[str, str]]) -> list[str]:
        reply = await api.get("/servers", params=params.get("p", params))
        assert reply.status == 200, reply.body
        return [s["name"] for s in reply.body["servers"]]

    assert await names(name="a-db") == ["a-db"]
    assert await names(label_selector="env=prod") == ["b-web", "a-db"]
    assert await names(label_selector="env=prod,role notin (web)") == ["a-db"]
    assert await names(label_selector="role in (web,db),env") == ["b-web", "a-db"]
    assert await names(label_selector="!role") == ["c-dev"]
    assert await names(status="off") == ["c-dev"]
    assert await names(p=[("status", "off"), ("status", "running")]) == ["b-web", "a-db", "c-dev"]
    assert await names(sort="name") == ["a-db", "b-web", "c-dev"]
    assert await names(sort="name:desc") == ["c-dev", "b-web", "a-db"]
    assert await names(sort="created:desc") == ["c-dev", "a-db", "b-web"]
    bad_sort = await api.get("/servers", params={"sort": "status"})
    assert bad_sort.status == 422
    bad_selector = await api.get("/servers", params={"label_selector": "env in (a"})
    assert bad_selector.status == 422
    assert bad_selector.body["error"]["details"]["fields"][0]["name"] == "label_selector"


async def test_update_name_and_labels(api: Api) -> None:
    sid = (await api.create_server("old")).body["server"]["id"]
    await api.create_server("taken")
    reply = await api.put(f"/servers/{sid}", {"name": "new", "labels": {"a": "b"}})
    assert reply.status == 200
    assert reply.body["server"]["name"] == "new"
    assert reply.body["server"]["labels"] == {"a": "b"}
    clash = await api.put(f"/servers/{sid}", {"name": "taken"})
    assert clash.status == 409
    assert clash.body["error"]["details"]["fields"] == [{"name": "name"}]
    same = await api.put(f"/servers/{sid}", {"name": "new"})
    assert same.status == 200
    bad = await api.put(f"/servers/{sid}", {"labels": {"-x": "y"}})
    assert bad.status == 422


async def test_delete_returns_action_and_removes_when_done(
    api: Api, clock: ManualClock, fake: FakeHetznerCloud
) -> None:
    sid = (await api.create_server("doomed")).body["server"]["id"]
    locked = await api.delete(f"/servers/{sid}")
    assert locked.status == 423
    assert locked.body["error"]["code"] == "locked"
    clock.advance(2.0)
    reply = await api.delete(f"/servers/{sid}")
    assert reply.status == 200
    assert reply.body["action"]["command"] == "delete_server"
    assert (await api.get(f"/servers/{sid}")).body["server"]["status"] == "deleting"
    clock.advance(1.0)
    assert (await api.get(f"/servers/{sid}")).status == 404
    assert sid not in fake.state.servers


async def test_many_servers_unique_names(api: Api, fake: FakeHetznerCloud) -> None:
    for i in range(60):
        await api.create_server(f"node-{i}")
    names = [s["name"] for s in fake.state.servers.values()]
    assert len(names) == 60 == len(set(names))
