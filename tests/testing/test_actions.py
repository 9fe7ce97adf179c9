"""Actions: progress rises with the injected clock, then success; scripted errors; /actions."""

from hetzner_async.testing import FakeHetznerCloud, ManualClock

from .conftest import Api


async def test_progress_rises_then_succeeds(api: Api, clock: ManualClock) -> None:
    created = (await api.create_server("web", start_after_create=False)).body
    aid = created["action"]["id"]
    progress = []
    for _ in range(4):
        action = (await api.get(f"/actions/{aid}")).body["action"]
        assert action["status"] == "running"
        assert action["finished"] is None
        progress.append(action["progress"])
        clock.advance(0.25)
    assert progress == [0, 25, 50, 75]
    done = (await api.get(f"/actions/{aid}")).body["action"]
    assert done["status"] == "success"
    assert done["progress"] == 100
    assert done["error"] is None
    assert done["finished"] == "2023-11-14T22:13:21+00:00"  # WALL_START + 1 s
    assert done["started"] == "2023-11-14T22:13:20+00:00"


async def test_next_action_runs_after_the_first(api: Api, clock: ManualClock) -> None:
    created = (await api.create_server("web")).body
    start_id = created["next_actions"][0]["id"]
    clock.advance(0.5)
    assert (await api.get(f"/actions/{start_id}")).body["action"]["progress"] == 0
    clock.advance(1.0)
    assert (await api.get(f"/actions/{start_id}")).body["action"]["progress"] == 50


async def test_scripted_failure(api: Api, clock: ManualClock, fake: FakeHetznerCloud) -> None:
    fake.fail_next_action("create_server", code="server_error", message="no capacity")
    created = (await api.create_server("web")).body
    sid = created["server"]["id"]
    clock.advance(1.0)
    failed = (await api.get(f"/actions/{created['action']['id']}")).body["action"]
    assert failed["status"] == "error"
    assert failed["error"] == {"code": "server_error", "message": "no capacity"}
    chained = (await api.get(f"/actions/{created['next_actions'][0]['id']}")).body["action"]
    assert chained["status"] == "error"
    server = (await api.get(f"/servers/{sid}")).body["server"]
    assert server["status"] == "off"
    assert server["locked"] is False
    # the script was one-shot: the next create succeeds
    ok = (await api.create_server("web2", start_after_create=False)).body
    clock.advance(1.0)
    assert (await api.get(f"/actions/{ok['action']['id']}")).body["action"]["status"] == "success"


async def test_scripted_failure_by_resource(
    api: Api, clock: ManualClock, fake: FakeHetznerCloud
) -> None:
    a = (await api.create_server("a")).body["server"]["id"]
    b = (await api.create_server("b")).body["server"]["id"]
    clock.advance(2.0)
    fake.fail_next_action("stop_server", resource_id=b, times=2)
    ra = (await api.post(f"/servers/{a}/actions/poweroff")).body["action"]
    rb = (await api.post(f"/servers/{b}/actions/poweroff")).body["action"]
    clock.advance(1.0)
    reply = await api.get("/actions", params=[("id", ra["id"]), ("id", rb["id"]), ("id", "1")])
    assert set(reply.body) == {"actions"}  # no meta on /actions
    assert [x["status"] for x in reply.body["actions"]] == ["success", "error"]
    assert (await api.get(f"/servers/{b}")).body["server"]["status"] == "running"


async def test_actions_endpoint_requires_ids(api: Api) -> None:
    reply = await api.get("/actions")
    assert reply.status == 422
    assert reply.body["error"]["details"]["fields"][0]["name"] == "id"
    assert (await api.get("/actions", params={"id": "x"})).status == 422
    assert (await api.get("/actions/12345")).status == 404


async def test_removed_server_after_delete_action(
    api: Api, clock: ManualClock, fake: FakeHetznerCloud
) -> None:
    sid = (await api.create_server("web")).body["server"]["id"]
    clock.advance(2.0)
    action = (await api.delete(f"/servers/{sid}")).body["action"]
    clock.advance(1.0)
    # any request observes the clock: here /actions, not /servers
    assert (await api.get(f"/actions/{action['id']}")).body["action"]["status"] == "success"
    assert sid not in fake.state.servers
