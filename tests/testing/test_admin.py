"""The /_fake admin endpoints, and the response check wrapped around every test."""

from typing import Any

import aiohttp
import pytest

from hetzner_async.testing import FakeHetznerCloud, FaultKind, ManualClock
from hetzner_async.testing.admin_fields import FAULT_FIELDS
from hetzner_async.testing.stats import ResponseRecord

from .conftest import Api, SpecRecorder


async def admin(api: Api, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    async with api.session.request(method, api.fake.base_url + path, json=body) as resp:
        data = await resp.json() if resp.content_type == "application/json" else await resp.text()
        return resp.status, data


async def test_state_stats_and_reset(api: Api, fake: FakeHetznerCloud) -> None:
    await api.create_server("web")
    await api.get("/servers/999")
    status, state = await admin(api, "GET", "/_fake/state")
    assert status == 200
    assert [s["name"] for s in state["servers"]] == ["web"]
    assert len(state["actions"]) == 2
    status, stats = await admin(api, "GET", "/_fake/stats")
    assert stats["total"] == 2
    assert {"method": "POST", "path": "/servers", "status": 201, "count": 1} in stats["requests"]
    assert {"method": "GET", "path": "/servers/{id}", "status": 404, "count": 1} in stats[
        "requests"
    ]
    assert fake.stats.count(method="GET", status=404) == 1
    status, _ = await admin(api, "POST", "/_fake/reset")
    assert status == 204
    assert fake.state.servers == {}
    assert fake.stats.total == 0


async def test_faults_over_http(api: Api, fake: FakeHetznerCloud) -> None:
    status, created = await admin(
        api,
        "POST",
        "/_fake/faults",
        {"kind": "error", "method": "GET", "path": "/servers", "status": 504, "code": "timeout"},
    )
    assert status == 201
    assert created["fault"]["kind"] == "error"
    status, listed = await admin(api, "GET", "/_fake/faults")
    assert [f["id"] for f in listed["faults"]] == [created["fault"]["id"]]
    reply = await api.get("/servers")
    assert reply.status == 504
    assert reply.body["error"]["code"] == "timeout"
    _, stats = await admin(api, "GET", "/_fake/stats")
    assert stats["faults"] == {"error": 1}
    assert stats["active_faults"] == []
    status, _text = await admin(api, "POST", "/_fake/faults", {"kind": "error", "bogus": 1})
    assert status == 400
    await admin(api, "POST", "/_fake/faults", {"kind": "latency", "times": None})
    await admin(api, "DELETE", "/_fake/faults")
    assert fake.faults.faults == []
    fault = fake.add_fault(kind="latency", times=None)
    await admin(api, "DELETE", f"/_fake/faults/{fault.id}")
    assert fake.faults.faults == []


async def test_action_failure_over_http(api: Api, clock: ManualClock) -> None:
    status, _ = await admin(
        api, "POST", "/_fake/action_failures", {"command": "create_server", "code": "boom"}
    )
    assert status == 201
    created = (await api.create_server("web")).body
    clock.advance(1.0)
    action = (await api.get(f"/actions/{created['action']['id']}")).body["action"]
    assert action["error"]["code"] == "boom"
    status, _ = await admin(api, "POST", "/_fake/action_failures", {"nope": 1})
    assert status == 400


async def test_admin_needs_no_token_and_is_not_limited(api: Api, fake: FakeHetznerCloud) -> None:
    fake.backend.limiter.limit = 1
    fake.backend.limiter.reset()
    await api.get("/servers")
    for _ in range(3):
        status, _ = await admin(api, "GET", "/_fake/stats")
        assert status == 200
    assert (await api.get("/servers")).status == 429


async def test_every_response_was_checked(
    api: Api, fake: FakeHetznerCloud, spec_recorder: SpecRecorder
) -> None:
    await api.create_server("web")
    await api.get("/servers")
    await api.get("/servers/1")
    assert spec_recorder.checked == 3


def test_recorder_catches_drift() -> None:
    recorder = SpecRecorder()
    bad = {"server": {"id": 1, "name": "x"}}
    recorder(ResponseRecord("GET", "/servers/1", "/servers/{id}", 200, {}, bad))
    assert len(recorder.violations) == 2  # the body, and the missing correlation id
    assert "required property" in recorder.violations[1]


async def test_hook_sees_every_response_and_errors_are_recorded() -> None:
    seen: list[ResponseRecord] = []
    async with (
        FakeHetznerCloud(on_response=seen.append) as fake,
        aiohttp.ClientSession() as session,
        session.get(fake.url + "/servers") as resp,
    ):
        assert resp.status == 401
    assert [(r.method, r.path, r.status) for r in seen] == [("GET", "/servers", 401)]
    assert seen[0].body["error"]["code"] == "unauthorized"

    def broken(record: ResponseRecord) -> None:
        raise RuntimeError("hook failed")

    async with FakeHetznerCloud(on_response=broken) as fake:
        async with aiohttp.ClientSession() as session, session.get(fake.url + "/servers") as resp:
            assert resp.status == 401
        assert len(fake.internal_errors) == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "kind"),
        ({"kind": "boom"}, "kind"),
        ({"kind": 3}, "kind"),
        ({"kind": "error", "bogus": 1}, "bogus"),
        ({"kind": "error", "status": "503"}, "status"),
        ({"kind": "error", "status": 42}, "status"),
        ({"kind": "error", "envelope": "yes"}, "envelope"),
        ({"kind": "latency", "delay": -1}, "delay"),
        ({"kind": "latency", "delay": True}, "delay"),
        ({"kind": "error", "times": 0}, "times"),
        ({"kind": "error", "probability": 2}, "probability"),
        ({"kind": "error", "method": 5}, "method"),
    ],
)
async def test_bad_fault_bodies_name_the_field(api: Api, body: Any, field: str) -> None:
    status, reply = await admin(api, "POST", "/_fake/faults", body)
    assert status == 400
    error = reply["error"]
    assert error["code"] == "invalid_input"
    assert error["details"]["fields"][0]["name"] == field
    assert f"'{field}'" in error["message"]
    [problem] = error["details"]["fields"][0]["messages"]
    assert error["message"] == f"invalid field '{field}': {problem}"
    assert "TypeError" not in error["message"]
    assert api.fake.faults.faults == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"nope": 1}, "nope"),
        ({"times": 0}, "times"),
        ({"times": "2"}, "times"),
        ({"resource_id": "x"}, "resource_id"),
        ({"command": 1}, "command"),
        ({"code": None}, "code"),
    ],
)
async def test_bad_action_failure_bodies_name_the_field(api: Api, body: Any, field: str) -> None:
    status, reply = await admin(api, "POST", "/_fake/action_failures", body)
    assert status == 400
    assert reply["error"]["details"]["fields"][0]["name"] == field
    assert api.fake.state.failures == []


async def test_admin_bodies_must_be_json_objects(api: Api) -> None:
    for path in ("/_fake/faults", "/_fake/action_failures"):
        async with api.session.post(api.fake.base_url + path, data=b"{not json") as resp:
            assert resp.status == 400
            assert (await resp.json())["error"]["code"] == "json_error"
        status, reply = await admin(api, "POST", path, [1, 2])
        assert (status, reply["error"]["code"]) == (400, "json_error")


async def test_an_empty_action_failure_body_fails_the_next_action(
    api: Api, clock: ManualClock
) -> None:
    status, reply = await admin(api, "POST", "/_fake/action_failures", {})
    assert (status, reply) == (201, {"command": None, "times": 1})
    created = (await api.create_server("web", start_after_create=False)).body
    clock.advance(1.0)
    action = (await api.get(f"/actions/{created['action']['id']}")).body["action"]
    assert action["error"]["code"] == "action_failed"


def test_the_admin_fault_kinds_are_the_fault_kinds() -> None:
    assert FAULT_FIELDS["kind"].problem == f"one of {', '.join(k.value for k in FaultKind)}"
