"""The generic core on its own: registry rules, references, locks on any kind, change tracking."""

import importlib
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from hetzner_async.testing import (
    ApiError,
    FakeConfig,
    FakeHetznerCloud,
    ManualClock,
    parse_selector,
)
from hetzner_async.testing.app import _route_order
from hetzner_async.testing.core import (
    Fields,
    Kind,
    Project,
    Registry,
)
from hetzner_async.testing.timebase import Timebase

from .conftest import Api

WIDGET = Kind("widget", "widgets", first_id=70_000_001, protection=("delete",))


def project_of_widgets(*extra: Any) -> Project:
    registry = Registry()
    registry.kind(WIDGET)
    for hook in extra:
        hook(registry)
    clock = ManualClock()
    return Project(registry, Timebase(clock, lambda: 1_700_000_000.0), lambda _: 1.0)


def widget(project: Project, name: str, **fields: Any) -> dict[str, Any]:
    wid = project.next_id(WIDGET.name)
    item = {"id": wid, "name": name, "labels": {}, **fields}
    project.tables[WIDGET.name][wid] = item
    return item


def test_kinds_and_counters_must_not_clash() -> None:
    registry = Registry()
    registry.kind(WIDGET)
    with pytest.raises(ValueError, match="twice"):
        registry.kind(WIDGET)
    with pytest.raises(ValueError, match="both start at 70000001"):
        registry.kind(Kind("gadget", "gadgets", first_id=70_000_001))
    with pytest.raises(ValueError, match="starts at 70000001"):
        registry.counter("widget", 5)
    registry.counter("widget", 70_000_001)  # the same declaration again is fine
    registry.kind(Kind("catalog_thing", "catalog_things"))  # no counter: ids come with data
    assert "catalog_thing" not in registry.counters


def test_find_takes_an_id_a_numeric_string_or_a_name() -> None:
    project = project_of_widgets()
    a = widget(project, "alpha", arch="x86")
    b = widget(project, "alpha", arch="arm")
    numeric = widget(project, "12345")
    assert project.find("widget", a["id"]) is a
    assert project.find("widget", str(b["id"])) is b
    assert project.find("widget", "alpha") is a
    assert project.find("widget", "alpha", where=lambda w: w["arch"] == "arm") is b
    assert project.find("widget", "alpha", where=lambda w: w["arch"] == "riscv") is None
    assert project.find("widget", "12345") is numeric  # not an id: then a name
    assert project.find("widget", "0" + str(a["id"])) is None  # not an id's canonical text
    assert project.find("widget", 1) is None
    for wrong in (True, 1.0, None, ["alpha"], {"id": a["id"]}):
        with pytest.raises(TypeError):
            project.find("widget", wrong)


def test_resolve_names_the_field_in_its_errors() -> None:
    project = project_of_widgets()
    for ref, message in ((999, "widget 999 not found"), (False, "must be an ID")):
        with pytest.raises(ApiError) as info:
            project.resolve("widget", ref, "gear")
        error = info.value.envelope()["error"]
        assert error["code"] == "invalid_input"
        assert error["details"]["fields"][0]["name"] == "gear"
        assert message in error["details"]["fields"][0]["messages"][0]


def test_labels_are_indexed_on_store_and_touch() -> None:
    project = project_of_widgets()
    a = widget(project, "a")
    b = widget(project, "b", labels={"env": "prod"})
    table = project.tables["widget"]
    selector = parse_selector("env=prod")
    assert table.matching(selector) == [b]
    a["labels"] = {"env": "prod"}
    assert table.matching(selector) == [b]  # not told yet
    project.touch("widget", a["id"], "labels")
    assert sorted(w["id"] for w in table.matching(selector)) == [a["id"], b["id"]]
    b["labels"] = {}
    project.dirty = True  # edits not told about are found after dirty
    assert table.matching(selector) == [a]


def test_change_hooks_hear_fields_and_locks_only_mark_stale() -> None:
    heard: list[tuple[int, Fields]] = []
    derived: list[int] = []

    def hooks(registry: Registry) -> None:
        registry.on_change("widget", lambda p, wid, fields: heard.append((wid, fields)))
        registry.derive("widget", lambda p, wid, w: derived.append(wid))

    project = project_of_widgets(hooks)
    project.refresh()
    a = widget(project, "a")
    project.touch("widget", a["id"], "colour")
    assert heard == [(a["id"], None), (a["id"], frozenset({"colour"}))]
    project.refresh()
    assert derived == [a["id"]]
    ref = ("widget", a["id"])
    project.start_action("spin", [ref], locks=[ref])
    assert project.locked("widget", a["id"])
    assert len(heard) == 2  # a lock is no change of the widget's own fields
    project.refresh()
    assert derived == [a["id"], a["id"]]  # but its derived fields are redone
    project.refresh()
    assert derived == [a["id"], a["id"]]  # and only once


def test_locks_and_holds_of_any_kind_end_with_the_action() -> None:
    project = project_of_widgets()
    a = widget(project, "a")
    ref = ("widget", a["id"])
    project.start_action("spin", [ref], locks=[ref], holds=[(("spinning", a["id"]), ref)])
    assert project.locked(*ref)
    assert project.engine.holding(("spinning", a["id"]))
    with pytest.raises(ApiError, match="locked"):
        project.ensure_unlocked(*ref)
    assert not project.locked("server", a["id"])  # the same id of another kind is free
    project.timebase.clock.advance(1.0)  # type: ignore[attr-defined]
    project.tick()
    assert not project.locked(*ref)
    assert not project.engine.holding(("spinning", a["id"]))
    assert [x["command"] for x in project.engine.of("widget", a["id"])] == ["spin"]


async def test_literal_routes_win_over_names_in_the_path(api: Api) -> None:
    created = await api.post("/zones", {"name": "example.com", "mode": "primary"})
    zid = created.body["zone"]["id"]
    # /zones/actions is the action list, not the zone named "actions"
    listed = await api.get("/zones/actions")
    assert (listed.status, [a["command"] for a in listed.body["actions"]]) == (200, ["create_zone"])
    by_name = await api.get("/zones/example.com")
    assert by_name.body["zone"]["id"] == zid
    assert (await api.get(f"/zones/{zid}")).body["zone"]["name"] == "example.com"
    own = await api.get("/zones/example.com/actions")
    assert own.body["meta"]["pagination"]["total_entries"] == 1
    missing = await api.get("/zones/nowhere.org")
    assert (missing.status, missing.body["error"]["code"]) == (404, "not_found")


async def test_server_fields_no_module_claims_are_refused(config: FakeConfig) -> None:
    # Without the modules that own them (every shipped field has one now), the fake refuses
    # these fields instead of ignoring them, and still gives the server its addresses.
    core = ("actions", "catalog", "images", "servers", "server_create", "server_actions")
    registry = Registry()
    for name in core:
        importlib.import_module(f"hetzner_async.testing.resources.{name}").register(registry)
    async with (
        FakeHetznerCloud(config, registry=registry) as fake,
        aiohttp.ClientSession() as session,
    ):
        api = Api(session, fake)
        for fields, name in (
            ({"volumes": [1]}, "volumes"),
            ({"networks": [1]}, "networks"),
            ({"placement_group": 1}, "placement_group"),
            ({"public_net": {"ipv4": 5}}, "public_net.ipv4"),
        ):
            body = {"name": "x", "server_type": "cx22", "image": "debian-12", **fields}
            reply = await api.post("/servers", body)
            assert reply.status == 422
            assert reply.body["error"]["details"]["fields"][0] == {
                "name": name,
                "messages": ["not supported by the fake Hetzner Cloud"],
            }
        empty = await api.create_server("ok", volumes=[], networks=[], public_net={"ipv4": None})
        assert empty.body["server"]["public_net"]["ipv4"] is not None
        assert fake.state.servers.keys() == {empty.body["server"]["id"]}


def test_routes_are_added_short_and_literal_first() -> None:
    async def handler(request: web.Request) -> web.Response:
        return web.Response()

    paths = [
        "/v1/zones/{id_or_name}",
        "/v1/zones/{id_or_name}/actions/{action_id}",
        "/v1/zones/actions",
        "/v1/zones/{id_or_name}/actions/change_ttl",
    ]
    ordered = [r.path for r in sorted((web.get(p, handler) for p in paths), key=_route_order)]
    assert ordered == [
        "/v1/zones/actions",
        "/v1/zones/{id_or_name}",
        "/v1/zones/{id_or_name}/actions/change_ttl",
        "/v1/zones/{id_or_name}/actions/{action_id}",
    ]
