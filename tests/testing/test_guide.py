"""The worked example of hetzner_async/testing/core/README.md runs, and does what it says."""

import re
import types
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

import hetzner_async.testing.core
from hetzner_async.testing import FakeConfig, FakeHetznerCloud, ManualClock
from hetzner_async.testing.resources import build_registry

from .conftest import Api

README = Path(hetzner_async.testing.core.__file__).with_name("README.md")


def load_toys() -> types.ModuleType:
    [code] = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.DOTALL)
    module = types.ModuleType("toys")
    exec(compile(code, str(README), "exec"), module.__dict__)
    return module


@pytest.fixture
async def toys_api(clock: ManualClock) -> AsyncIterator[Api]:
    config = FakeConfig(token="t", clock=clock, wall_clock=lambda: 1_700_000_000.0)
    registry = build_registry([load_toys()])
    async with (
        FakeHetznerCloud(config, registry=registry) as fake,
        aiohttp.ClientSession() as session,
    ):
        yield Api(session, fake)
        assert fake.internal_errors == []


async def test_toys_crud_list_protection_and_actions(toys_api: Api, clock: ManualClock) -> None:
    api = toys_api
    a = (await api.post("/toys", {"name": "a", "labels": {"colour": "red"}})).body["toy"]
    b = (await api.post("/toys", {"name": "b"})).body["toy"]
    assert a["id"] == 90_000_001
    taken = await api.post("/toys", {"name": "a"})
    assert (taken.status, taken.body["error"]["code"]) == (409, "uniqueness_error")

    names = await api.get("/toys", params={"sort": "name:desc"})
    assert [t["name"] for t in names.body["toys"]] == ["b", "a"]
    red = await api.get("/toys", params={"label_selector": "colour=red", "ignored": "x"})
    assert [t["id"] for t in red.body["toys"]] == [a["id"]]
    assert (await api.get(f"/toys/{b['id']}")).body["toy"]["name"] == "b"
    clash = await api.put(f"/toys/{b['id']}", {"name": "a"})
    assert clash.status == 409
    renamed = await api.put(f"/toys/{b['id']}", {"name": "c", "labels": {"colour": "blue"}})
    assert renamed.body["toy"]["name"] == "c"

    polish = await api.post(f"/toys/{a['id']}/actions/polish")
    assert (polish.status, polish.body["action"]["command"]) == (201, "polish_toy")
    again = await api.post(f"/toys/{a['id']}/actions/polish")
    assert (again.status, again.body["error"]["code"]) == (423, "locked")
    locked = await api.delete(f"/toys/{a['id']}")
    assert (locked.status, locked.body["error"]["code"]) == (423, "locked")
    clock.advance(1.0)
    assert (await api.get(f"/toys/{a['id']}")).body["toy"]["status"] == "polished"
    polished = await api.get("/toys", params={"status": "polished"})
    assert [t["id"] for t in polished.body["toys"]] == [a["id"]]

    protect = await api.post(f"/toys/{a['id']}/actions/change_protection", {"delete": True})
    assert protect.body["action"]["command"] == "change_protection"
    refused = await api.delete(f"/toys/{a['id']}")
    assert (refused.status, refused.body["error"]["code"]) == (423, "protected")
    own = await api.get(f"/toys/{a['id']}/actions", params={"sort": "id:desc"})
    assert [x["command"] for x in own.body["actions"]] == ["change_protection", "polish_toy"]
    every = await api.get("/toys/actions", params={"status": "running"})
    assert [x["command"] for x in every.body["actions"]] == ["change_protection"]
    aid = own.body["actions"][1]["id"]
    assert (await api.get(f"/toys/actions/{aid}")).body["action"]["status"] == "success"

    clock.advance(1.0)
    await api.post(f"/toys/{a['id']}/actions/change_protection", {"delete": False})
    clock.advance(1.0)
    assert (await api.delete(f"/toys/{a['id']}")).status == 204
    assert (await api.get(f"/toys/{a['id']}")).status == 404
    assert [t["name"] for t in api.fake.state.toys.values()] == ["c"]
    async with api.session.get(api.fake.base_url + "/_fake/state") as resp:
        assert [t["name"] for t in (await resp.json())["toys"]] == ["c"]


async def test_a_server_gets_a_toy_and_gives_it_back(toys_api: Api, clock: ManualClock) -> None:
    api = toys_api
    toy = (await api.post("/toys", {"name": "bear"})).body["toy"]
    missing = await api.post(
        "/servers", {"name": "x", "server_type": "cx22", "image": "debian-12", "toy": "nope"}
    )
    assert missing.body["error"]["details"]["fields"][0]["name"] == "toy"
    assert api.fake.state.servers == {}  # nothing was created
    sid = (await api.create_server("kid", toy="bear")).body["server"]["id"]
    assert (await api.get(f"/toys/{toy['id']}")).body["toy"]["server"] == sid
    twice = await api.post(
        "/servers", {"name": "y", "server_type": "cx22", "image": "debian-12", "toy": toy["id"]}
    )
    assert twice.body["error"]["message"].endswith("the toy already has a server")
    clock.advance(2.0)
    await api.delete(f"/servers/{sid}")
    clock.advance(1.0)
    assert (await api.get(f"/toys/{toy['id']}")).body["toy"]["server"] is None
