"""Server actions: commands, status effects, locked, protected, change_type off-only."""

import pytest

from hetzner_async.testing import FakeHetznerCloud, ManualClock

from .conftest import Api


async def running_server(api: Api, clock: ManualClock, name: str = "srv") -> int:
    sid: int = (await api.create_server(name)).body["server"]["id"]
    clock.advance(2.0)
    return sid


@pytest.mark.parametrize(
    ("action", "command", "during", "after"),
    [
        ("poweroff", "stop_server", "stopping", "off"),
        ("shutdown", "shutdown_server", "running", "off"),
        ("reboot", "reboot_server", "running", "running"),
        ("reset", "reset_server", "running", "running"),
    ],
)
async def test_power_actions(
    api: Api, clock: ManualClock, action: str, command: str, during: str, after: str
) -> None:
    sid = await running_server(api, clock)
    reply = await api.post(f"/servers/{sid}/actions/{action}")
    assert reply.status == 201
    assert reply.body["action"]["command"] == command
    assert (await api.get(f"/servers/{sid}")).body["server"]["status"] == during
    clock.advance(1.0)
    assert (await api.get(f"/servers/{sid}")).body["server"]["status"] == after


async def test_poweron_after_poweroff(api: Api, clock: ManualClock) -> None:
    sid = await running_server(api, clock)
    await api.post(f"/servers/{sid}/actions/poweroff")
    clock.advance(1.0)
    reply = await api.post(f"/servers/{sid}/actions/poweron")
    assert reply.body["action"]["command"] == "start_server"
    assert (await api.get(f"/servers/{sid}")).body["server"]["status"] == "starting"
    clock.advance(1.0)
    assert (await api.get(f"/servers/{sid}")).body["server"]["status"] == "running"


async def test_second_action_while_running_is_locked(api: Api, clock: ManualClock) -> None:
    sid = await running_server(api, clock)
    assert (await api.post(f"/servers/{sid}/actions/reboot")).status == 201
    locked = await api.post(f"/servers/{sid}/actions/reset")
    assert locked.status == 423
    assert locked.body["error"]["code"] == "locked"
    clock.advance(1.0)
    assert (await api.post(f"/servers/{sid}/actions/reset")).status == 201


async def test_protection_blocks_delete_and_rebuild(api: Api, clock: ManualClock) -> None:
    sid = await running_server(api, clock)
    reply = await api.post(
        f"/servers/{sid}/actions/change_protection", {"delete": True, "rebuild": True}
    )
    assert reply.body["action"]["command"] == "change_protection"
    clock.advance(1.0)
    server = (await api.get(f"/servers/{sid}")).body["server"]
    assert server["protection"] == {"delete": True, "rebuild": True}
    for method, path, body in (
        ("DELETE", f"/servers/{sid}", None),
        ("POST", f"/servers/{sid}/actions/rebuild", {"image": "debian-12"}),
    ):
        refused = await api.call(method, path, json=body)
        assert refused.status == 423
        assert refused.body["error"]["code"] == "protected"
    unequal = await api.post(
        f"/servers/{sid}/actions/change_protection", {"delete": False, "rebuild": True}
    )
    assert unequal.status == 422
    await api.post(f"/servers/{sid}/actions/change_protection", {"delete": False, "rebuild": False})
    clock.advance(1.0)
    assert (await api.delete(f"/servers/{sid}")).status == 200


async def test_rebuild_changes_image(api: Api, clock: ManualClock) -> None:
    sid = await running_server(api, clock)
    reply = await api.post(f"/servers/{sid}/actions/rebuild", {"image": "ubuntu-24.04"})
    assert reply.status == 201
    assert reply.body["action"]["command"] == "rebuild_server"
    assert isinstance(reply.body["root_password"], str)
    assert (await api.get(f"/servers/{sid}")).body["server"]["status"] == "rebuilding"
    clock.advance(1.0)
    server = (await api.get(f"/servers/{sid}")).body["server"]
    assert server["status"] == "running"
    assert server["image"]["name"] == "ubuntu-24.04"


async def test_rebuild_keeps_a_stopped_server_off(api: Api, clock: ManualClock) -> None:
    sid = await running_server(api, clock)
    await api.post(f"/servers/{sid}/actions/poweroff")
    clock.advance(1.0)
    reply = await api.post(f"/servers/{sid}/actions/rebuild", {"image": "ubuntu-24.04"})
    assert reply.status == 201
    assert (await api.get(f"/servers/{sid}")).body["server"]["status"] == "rebuilding"
    clock.advance(1.0)
    server = (await api.get(f"/servers/{sid}")).body["server"]
    assert server["status"] == "off"
    assert server["image"]["name"] == "ubuntu-24.04"


async def test_change_type_requires_off(api: Api, clock: ManualClock) -> None:
    sid = await running_server(api, clock)
    body = {"server_type": "cx32", "upgrade_disk": True}
    refused = await api.post(f"/servers/{sid}/actions/change_type", body)
    assert refused.status == 422
    assert refused.body["error"]["code"] == "server_not_stopped"
    await api.post(f"/servers/{sid}/actions/poweroff")
    clock.advance(1.0)
    unknown = await api.post(
        f"/servers/{sid}/actions/change_type", {"server_type": "cx9000", "upgrade_disk": True}
    )
    assert unknown.body["error"]["code"] == "invalid_server_type"
    reply = await api.post(f"/servers/{sid}/actions/change_type", body)
    assert reply.body["action"]["command"] == "change_server_type"
    clock.advance(1.0)
    server = (await api.get(f"/servers/{sid}")).body["server"]
    assert server["server_type"]["name"] == "cx32"
    assert server["primary_disk_size"] == 80
    assert server["status"] == "off"


async def test_rescue_iso_console_password(api: Api, clock: ManualClock) -> None:
    sid = await running_server(api, clock)
    rescue = await api.post(f"/servers/{sid}/actions/enable_rescue", {"type": "linux64"})
    assert rescue.body["action"]["command"] == "enable_rescue"
    assert rescue.body["root_password"]
    clock.advance(1.0)
    assert (await api.get(f"/servers/{sid}")).body["server"]["rescue_enabled"] is True
    await api.post(f"/servers/{sid}/actions/disable_rescue")
    clock.advance(1.0)
    assert (await api.get(f"/servers/{sid}")).body["server"]["rescue_enabled"] is False

    bad_iso = await api.post(f"/servers/{sid}/actions/attach_iso", {"iso": "nope.iso"})
    assert bad_iso.status == 422
    await api.post(f"/servers/{sid}/actions/attach_iso", {"iso": "virtio-win-0.1.248.iso"})
    clock.advance(1.0)
    assert (await api.get(f"/servers/{sid}")).body["server"]["iso"]["name"].startswith("virtio")
    await api.post(f"/servers/{sid}/actions/detach_iso")
    clock.advance(1.0)
    assert (await api.get(f"/servers/{sid}")).body["server"]["iso"] is None

    console = await api.post(f"/servers/{sid}/actions/request_console")
    assert console.body["wss_url"].startswith("wss://")
    assert console.body["password"]
    clock.advance(1.0)
    password = await api.post(f"/servers/{sid}/actions/reset_password")
    assert password.body["root_password"]
    assert password.body["action"]["command"] == "reset_password"


async def test_actions_on_a_missing_server_are_not_found(api: Api) -> None:
    reply = await api.post("/servers/42/actions/poweron")
    assert reply.status == 404


async def test_server_action_lists(api: Api, clock: ManualClock, fake: FakeHetznerCloud) -> None:
    sid = await running_server(api, clock)
    other = await running_server(api, clock, "other")
    await api.post(f"/servers/{sid}/actions/reboot")
    own = await api.get(f"/servers/{sid}/actions", params={"sort": "id:desc"})
    assert [a["command"] for a in own.body["actions"]] == [
        "reboot_server",
        "start_server",
        "create_server",
    ]
    assert own.body["meta"]["pagination"]["total_entries"] == 3
    running = await api.get(f"/servers/{sid}/actions", params={"status": "running"})
    assert [a["command"] for a in running.body["actions"]] == ["reboot_server"]
    everything = await api.get("/servers/actions", params={"per_page": "2"})
    assert everything.body["meta"]["pagination"]["total_entries"] == 5
    aid = own.body["actions"][0]["id"]
    assert (await api.get(f"/servers/actions/{aid}")).body["action"]["id"] == aid
    assert (await api.get(f"/servers/{sid}/actions/{aid}")).status == 200
    assert (await api.get(f"/servers/{other}/actions/{aid}")).status == 404
    assert (await api.get("/servers/999/actions")).status == 404
