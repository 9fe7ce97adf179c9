"""The fake's bookkeeping at scale: name indexes, the action heap, incremental refresh.

Requests must not do work proportional to the servers or actions stored; these tests pin the
behaviour the indexes must keep, and count the work a request does with thousands stored.
"""

import copy
from typing import Any

import pytest

from hetzner_async.testing import FakeHetznerCloud, ManualClock
from hetzner_async.testing.resources.firewall_links import FirewallLinks
from hetzner_async.testing.state import Table

from .conftest import Api


def fw_ids(server: dict[str, Any]) -> list[int]:
    return [f["id"] for f in server["public_net"]["firewalls"]]


def test_table_indexes_names_on_every_change() -> None:
    table = Table()
    table[1] = {"id": 1, "name": "a"}
    table.update({2: {"id": 2, "name": "b"}})
    assert table.has_name("a")
    assert not table.has_name("a", exclude=1)
    table.rename(1, "c")
    assert not table.has_name("a")
    assert table.named("c") == [{"id": 1, "name": "c"}]
    table[1] = {"id": 1, "name": "d"}  # replaced
    assert not table.has_name("c")
    assert table.has_name("d")
    assert table.pop(2)["name"] == "b"
    assert not table.has_name("b")
    assert table.pop(2, None) is None
    del table[1]
    assert table == {}
    assert not table.has_name("d")
    table[3] = {"id": 3, "name": "e"}
    table[3]["name"] = "f"  # in place: found once the table is marked stale
    table.stale = True
    assert table.has_name("f")
    assert not table.has_name("e")


async def test_names_stay_unique_across_rename_and_delete(api: Api, clock: ManualClock) -> None:
    sid = (await api.create_server("a", start_after_create=False)).body["server"]["id"]
    assert (await api.put(f"/servers/{sid}", {"name": "b"})).status == 200
    assert (await api.create_server("a", start_after_create=False)).status == 201
    taken = await api.post("/servers", {"name": "b", "server_type": "cx22", "image": "debian-12"})
    assert taken.body["error"]["code"] == "uniqueness_error"
    assert [s["id"] for s in (await api.get("/servers", params={"name": "b"})).body["servers"]] == [
        sid
    ]
    clock.advance(1.0)
    await api.delete(f"/servers/{sid}")
    clock.advance(1.0)
    assert (await api.get("/servers", params={"name": "b"})).body["servers"] == []
    assert (await api.create_server("b")).status == 201


async def test_servers_stored_directly_are_seen(api: Api, fake: FakeHetznerCloud) -> None:
    template = (await api.create_server("seed-0", labels={"i": "0"})).body["server"]
    state = fake.state
    for index in range(1, 4):
        server = copy.deepcopy(template)
        server.update(id=state.next_id("server"), name=f"seed-{index}", labels={"i": str(index)})
        state.servers[server["id"]] = server
    state.dirty = True
    taken = await api.post(
        "/servers", {"name": "seed-2", "server_type": "cx22", "image": "debian-12"}
    )
    assert taken.body["error"]["code"] == "uniqueness_error"
    listed = (await api.get("/servers", params={"label_selector": "i in (1,3)"})).body["servers"]
    assert [s["name"] for s in listed] == ["seed-1", "seed-3"]


async def test_selector_firewall_follows_labels(api: Api, clock: ManualClock) -> None:
    a = (await api.create_server("a", labels={"env": "prod"})).body["server"]["id"]
    fw = (
        await api.post(
            "/firewalls",
            {
                "name": "fw",
                "apply_to": [
                    {"type": "label_selector", "label_selector": {"selector": "env=prod"}}
                ],
            },
        )
    ).body["firewall"]
    b = (await api.create_server("b", labels={"env": "prod"})).body["server"]
    assert fw_ids(b) == [fw["id"]]
    c = (await api.create_server("c")).body["server"]["id"]
    await api.put(f"/servers/{c}", {"labels": {"env": "prod"}})
    await api.put(f"/servers/{a}", {"labels": {"env": "dev"}})
    clock.advance(5.0)
    applied = (await api.get(f"/firewalls/{fw['id']}")).body["firewall"]["applied_to"][0]
    assert [r["server"]["id"] for r in applied["applied_to_resources"]] == [b["id"], c]
    assert fw_ids((await api.get(f"/servers/{a}")).body["server"]) == []
    assert fw_ids((await api.get(f"/servers/{c}")).body["server"]) == [fw["id"]]
    await api.delete(f"/servers/{c}")
    clock.advance(5.0)
    applied = (await api.get(f"/firewalls/{fw['id']}")).body["firewall"]["applied_to"][0]
    assert [r["server"]["id"] for r in applied["applied_to_resources"]] == [b["id"]]


async def test_failed_action_keeps_the_progress_a_request_last_saw(
    api: Api, clock: ManualClock, fake: FakeHetznerCloud
) -> None:
    fake.fail_next_action("create_server")
    created = (await api.create_server("web")).body
    clock.advance(0.5)
    await api.get("/servers")  # any request: the actions now run at 50 %
    clock.advance(0.6)
    failed = (await api.get(f"/actions/{created['action']['id']}")).body["action"]
    assert (failed["status"], failed["progress"]) == ("error", 50)
    chained = (await api.get(f"/actions/{created['next_actions'][0]['id']}")).body["action"]
    assert (chained["status"], chained["progress"]) == ("error", 0)
    assert chained["finished"] == failed["finished"]


@pytest.mark.parametrize("stored", [3000])
async def test_a_request_does_not_walk_the_project(
    api: Api, fake: FakeHetznerCloud, monkeypatch: pytest.MonkeyPatch, stored: int
) -> None:
    template = (await api.create_server("seed")).body["server"]
    state = fake.state
    for index in range(stored):
        server = copy.deepcopy(template)
        server.update(id=state.next_id("server"), name=f"s-{index}", labels={"i": str(index)})
        state.servers[server["id"]] = server
        ref = ("server", server["id"])
        state.start_action("reboot_server", [ref], locks=[ref])
    sid = server["id"]
    assert (await api.get(f"/servers/{sid}")).body["server"]["locked"] is True
    derived: list[int] = []
    original = FirewallLinks.derive

    def counting(self: FirewallLinks, server_id: int, server: dict[str, Any]) -> None:
        derived.append(server_id)
        original(self, server_id, server)

    monkeypatch.setattr(FirewallLinks, "derive", counting)
    created = (await api.create_server("one-more")).body
    server = (await api.get(f"/servers/{sid}")).body["server"]
    listed = (await api.get("/servers", params={"label_selector": "i=7"})).body["servers"]
    actions = (await api.get("/actions", params={"id": str(created["action"]["id"])})).body
    assert server["locked"] is True
    assert len(listed) == 1
    assert len(actions["actions"]) == 1
    assert len(derived) <= 2
