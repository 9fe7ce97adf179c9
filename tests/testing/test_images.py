"""Images: snapshots and backups of servers, booting from them, update, protection, delete."""

from typing import Any

import pytest

from hetzner_async.testing import FakeHetznerCloud, ManualClock
from hetzner_async.testing.resources.server_images import BACKUP_SLOTS

from .conftest import Api

DEBIAN_X86 = 114690387


async def running_server(api: Api, clock: ManualClock, name: str = "srv", **fields: Any) -> int:
    sid: int = (await api.create_server(name, **fields)).body["server"]["id"]
    clock.advance(2.0)
    return sid


async def make_image(api: Api, clock: ManualClock, sid: int, **body: Any) -> dict[str, Any]:
    reply = await api.post(f"/servers/{sid}/actions/create_image", body)
    assert reply.status == 201, reply.body
    clock.advance(1.0)
    image: dict[str, Any] = (await api.get(f"/images/{reply.body['image']['id']}")).body["image"]
    return image


async def image_ids(api: Api, **params: Any) -> list[int]:
    reply = await api.get("/images", params=params)
    assert reply.status == 200, reply.body
    return [image["id"] for image in reply.body["images"]]


async def enable_backups(api: Api, clock: ManualClock, sid: int) -> None:
    reply = await api.post(f"/servers/{sid}/actions/enable_backup")
    assert reply.body["action"]["command"] == "enable_backup"
    clock.advance(1.0)


def error_of(reply: Any) -> tuple[int, str]:
    return reply.status, reply.body["error"]["code"]


async def test_create_image_makes_a_snapshot_that_becomes_available(
    api: Api, clock: ManualClock, fake: FakeHetznerCloud
) -> None:
    sid = await running_server(api, clock, "web-1")
    reply = await api.post(
        f"/servers/{sid}/actions/create_image", {"description": "golden", "labels": {"k": "v"}}
    )
    assert reply.status == 201
    image, action = reply.body["image"], reply.body["action"]
    assert image["type"] == "snapshot"
    assert image["status"] == "creating"
    assert image["name"] is None
    assert image["description"] == "golden"
    assert image["labels"] == {"k": "v"}
    assert image["created_from"] == {"id": sid, "name": "web-1"}
    assert image["bound_to"] is None
    assert image["disk_size"] == 40
    assert image["architecture"] == "x86"
    assert image["os_flavor"] == "debian"
    assert image["os_version"] == "12"
    assert action["command"] == "create_image"
    assert action["resources"] == [
        {"id": sid, "type": "server"},
        {"id": image["id"], "type": "image"},
    ]
    # The server and the image are locked until the image is ready.
    assert error_of(await api.post(f"/servers/{sid}/actions/reboot")) == (423, "locked")
    assert error_of(await api.delete(f"/images/{image['id']}")) == (423, "locked")
    assert (await api.get(f"/servers/{sid}")).body["server"]["locked"] is True
    assert await image_ids(api, status="creating") == [image["id"]]

    clock.advance(1.0)
    ready = (await api.get(f"/images/{image['id']}")).body["image"]
    assert ready["status"] == "available"
    assert 0 < ready["image_size"] <= ready["disk_size"]
    assert (await api.get(f"/servers/{sid}")).body["server"]["status"] == "running"
    own = await api.get(f"/images/{image['id']}/actions")
    assert [a["command"] for a in own.body["actions"]] == ["create_image"]
    assert own.body["actions"][0]["status"] == "success"
    # GET /_fake/state shows the project's images, not the catalog's.
    assert [i["id"] for i in fake.state.snapshot()["images"]] == [image["id"]]


async def test_default_description_and_a_failed_image_is_gone(
    api: Api, clock: ManualClock, fake: FakeHetznerCloud
) -> None:
    sid = await running_server(api, clock, "db")
    image = await make_image(api, clock, sid)
    assert image["description"] == "Snapshot of db"
    fake.fail_next_action("create_image")
    failed = await api.post(f"/servers/{sid}/actions/create_image", {})
    clock.advance(1.0)
    assert (await api.get(f"/actions/{failed.body['action']['id']}")).body["action"][
        "status"
    ] == "error"
    gone = await api.get(f"/images/{failed.body['image']['id']}")
    assert error_of(gone) == (404, "not_found")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"type": "floppy"}, "type"),
        ({"type": "backup"}, "type"),  # backups are not enabled
        ({"description": 7}, "description"),
        ({"labels": {"hetzner.cloud/x": "y"}}, "labels"),
    ],
)
async def test_create_image_rejects_bad_input(
    api: Api, clock: ManualClock, body: dict[str, Any], field: str
) -> None:
    sid = await running_server(api, clock)
    reply = await api.post(f"/servers/{sid}/actions/create_image", body)
    assert error_of(reply) == (422, "invalid_input")
    assert reply.body["error"]["details"]["fields"][0]["name"] == field
    assert await image_ids(api, type="snapshot") == []


async def test_create_image_of_a_missing_server(api: Api) -> None:
    assert error_of(await api.post("/servers/999/actions/create_image", {})) == (404, "not_found")


async def test_a_snapshot_boots_a_server_and_rebuilds_one(api: Api, clock: ManualClock) -> None:
    sid = await running_server(api, clock, "base", server_type="cx32")
    pending = await api.post(f"/servers/{sid}/actions/create_image", {})
    snapshot_id = pending.body["image"]["id"]
    creating = await api.post(
        "/servers", {"name": "early", "server_type": "cx32", "image": snapshot_id}
    )
    assert error_of(creating) == (422, "invalid_input")
    clock.advance(1.0)

    booted = await api.create_server("clone", server_type="cx32", image=snapshot_id)
    server = booted.body["server"]
    assert server["image"]["id"] == snapshot_id
    assert server["image"]["type"] == "snapshot"
    by_text_id = await api.create_server("clone-2", server_type="ccx13", image=str(snapshot_id))
    assert by_text_id.body["server"]["image"]["id"] == snapshot_id

    # Wrong architecture, a disk too small for the image (80 GB on cx22's 40), and no name.
    for server_type, image in (("cax21", snapshot_id), ("cx22", snapshot_id), ("cx32", "null")):
        refused = await api.post(
            "/servers", {"name": "nope", "server_type": server_type, "image": image}
        )
        assert error_of(refused) == (422, "invalid_input"), server_type
        assert refused.body["error"]["details"]["fields"][0]["name"] == "image"

    small = await running_server(api, clock, "small")
    too_big = await api.post(f"/servers/{small}/actions/rebuild", {"image": snapshot_id})
    assert error_of(too_big) == (422, "invalid_input")
    target = booted.body["server"]["id"]
    await api.post(f"/servers/{target}/actions/rebuild", {"image": "debian-12"})
    clock.advance(1.0)
    rebuilt = await api.post(f"/servers/{target}/actions/rebuild", {"image": snapshot_id})
    assert rebuilt.status == 201
    clock.advance(1.0)
    assert (await api.get(f"/servers/{target}")).body["server"]["image"]["id"] == snapshot_id


async def test_an_arm_snapshot_keeps_its_architecture(api: Api, clock: ManualClock) -> None:
    sid = await running_server(api, clock, "arm", server_type="cax11")
    image = await make_image(api, clock, sid)
    assert image["architecture"] == "arm"
    assert await image_ids(api, type="snapshot", architecture="arm") == [image["id"]]
    assert await image_ids(api, type="snapshot", architecture="x86") == []
    booted = await api.create_server("arm-2", server_type="cax21", image=image["id"])
    assert booted.body["server"]["image"]["architecture"] == "arm"


async def test_backups_need_enabling_rotate_and_go_when_disabled(
    api: Api, clock: ManualClock
) -> None:
    sid = await running_server(api, clock)
    assert (await api.get(f"/servers/{sid}")).body["server"]["backup_window"] is None
    await enable_backups(api, clock, sid)
    window = (await api.get(f"/servers/{sid}")).body["server"]["backup_window"]
    assert window is not None
    assert len(window.split("-")) == 2
    backups = [await make_image(api, clock, sid, type="backup") for _ in range(BACKUP_SLOTS + 1)]
    assert {b["type"] for b in backups} == {"backup"}
    assert {b["bound_to"] for b in backups} == {sid}
    # Seven slots: the eighth backup replaced the oldest.
    kept = [b["id"] for b in backups[1:]]
    assert await image_ids(api, type="backup") == kept
    assert await image_ids(api, bound_to=str(sid)) == kept
    assert await image_ids(api, bound_to="1") == []
    snapshot = await make_image(api, clock, sid)

    disabled = await api.post(f"/servers/{sid}/actions/disable_backup")
    assert disabled.body["action"]["command"] == "disable_backup"
    # "This immediately removes all existing backups for the Server."
    assert await image_ids(api, type="backup") == []
    clock.advance(1.0)
    assert (await api.get(f"/servers/{sid}")).body["server"]["backup_window"] is None
    assert await image_ids(api, type="snapshot") == [snapshot["id"]]
    no_backups = await api.post(f"/servers/{sid}/actions/create_image", {"type": "backup"})
    assert error_of(no_backups) == (422, "invalid_input")


async def test_deleting_a_server_deletes_its_backups_not_its_snapshots(
    api: Api, clock: ManualClock, fake: FakeHetznerCloud
) -> None:
    sid = await running_server(api, clock, "old")
    other = await running_server(api, clock, "other")
    await enable_backups(api, clock, sid)
    await enable_backups(api, clock, other)
    backup = await make_image(api, clock, sid, type="backup")
    kept_backup = await make_image(api, clock, sid, type="backup")
    others_backup = await make_image(api, clock, other, type="backup")
    snapshot = await make_image(api, clock, sid)
    # A backup converted to a snapshot is no longer bound to its server.
    converted = await api.put(f"/images/{kept_backup['id']}", {"type": "snapshot"})
    assert converted.body["image"]["type"] == "snapshot"
    assert converted.body["image"]["bound_to"] is None

    await api.delete(f"/servers/{sid}")
    assert (await api.get(f"/images/{backup['id']}")).status == 200
    clock.advance(1.0)
    assert error_of(await api.get(f"/images/{backup['id']}")) == (404, "not_found")
    left = await image_ids(api, type=["snapshot", "backup"])
    assert left == [kept_backup["id"], others_backup["id"], snapshot["id"]]
    survivor = (await api.get(f"/images/{snapshot['id']}")).body["image"]
    assert survivor["created_from"] == {"id": sid, "name": "old"}
    assert sorted(i["id"] for i in fake.state.snapshot()["images"]) == left


async def test_update_description_labels_and_type(api: Api, clock: ManualClock) -> None:
    sid = await running_server(api, clock)
    image = await make_image(api, clock, sid, labels={"env": "prod"})
    updated = await api.put(
        f"/images/{image['id']}",
        {"description": "v2", "labels": {"env": "staging", "tier": "web"}, "type": "snapshot"},
    )
    assert updated.status == 200
    assert updated.body["image"]["description"] == "v2"
    assert updated.body["image"]["labels"] == {"env": "staging", "tier": "web"}
    assert updated.body["image"]["type"] == "snapshot"
    assert await image_ids(api, label_selector="env=staging") == [image["id"]]
    assert await image_ids(api, label_selector="env=prod") == []

    to_backup = await api.put(f"/images/{image['id']}", {"type": "backup"})
    assert error_of(to_backup) == (422, "invalid_input")
    bad_labels = await api.put(f"/images/{image['id']}", {"labels": {"a": "b c"}})
    assert error_of(bad_labels) == (422, "invalid_input")
    system = await api.put(f"/images/{DEBIAN_X86}", {"description": "mine now"})
    assert error_of(system) == (422, "unsupported_error")
    debian = (await api.get(f"/images/{DEBIAN_X86}")).body["image"]
    assert debian["description"] == "Debian 12"
    assert error_of(await api.put("/images/999", {"description": "x"})) == (404, "not_found")


async def test_protection_is_for_snapshots_and_blocks_delete(api: Api, clock: ManualClock) -> None:
    sid = await running_server(api, clock)
    await enable_backups(api, clock, sid)
    snapshot = await make_image(api, clock, sid)
    backup = await make_image(api, clock, sid, type="backup")
    path = f"/images/{snapshot['id']}"

    protect = await api.post(f"{path}/actions/change_protection", {"delete": True})
    assert protect.status == 201
    assert protect.body["action"]["command"] == "change_protection"
    assert protect.body["action"]["resources"] == [{"id": snapshot["id"], "type": "image"}]
    clock.advance(1.0)
    assert (await api.get(path)).body["image"]["protection"] == {"delete": True}
    assert error_of(await api.delete(path)) == (423, "protected")

    for image_id in (backup["id"], DEBIAN_X86):
        refused = await api.post(f"/images/{image_id}/actions/change_protection", {"delete": True})
        assert error_of(refused) == (422, "unsupported_error")
    not_bool = await api.post(f"{path}/actions/change_protection", {"delete": "yes"})
    assert error_of(not_bool) == (422, "invalid_input")

    await api.post(f"{path}/actions/change_protection", {"delete": False})
    clock.advance(1.0)
    assert (await api.delete(path)).status == 204
    assert error_of(await api.get(path)) == (404, "not_found")
    assert (await api.delete(f"/images/{backup['id']}")).status == 204
    assert await image_ids(api, type=["snapshot", "backup"]) == []


async def test_system_images_cannot_be_deleted(api: Api) -> None:
    assert error_of(await api.delete(f"/images/{DEBIAN_X86}")) == (422, "unsupported_error")
    assert (await api.get(f"/images/{DEBIAN_X86}")).status == 200
    assert error_of(await api.delete("/images/999")) == (404, "not_found")


async def test_list_filters_and_sort(api: Api, clock: ManualClock) -> None:
    sid = await running_server(api, clock)
    first = await make_image(api, clock, sid)
    clock.advance(5.0)
    second = await make_image(api, clock, sid)
    mine = [first["id"], second["id"]]
    assert await image_ids(api, type="snapshot") == mine
    assert await image_ids(api, type="snapshot", sort="created:desc") == mine[::-1]
    assert await image_ids(api, type="snapshot", sort="id:desc") == mine[::-1]
    assert await image_ids(api, type="snapshot", status="available") == mine
    assert await image_ids(api, type="snapshot", status="creating") == []
    everything = await image_ids(api, include_deprecated="true", per_page=50)
    assert len(everything) == 18
    # Snapshots have no name: a name filter only finds system images.
    assert len(await image_ids(api, name="debian-12")) == 2
    for params in ({"architecture": "mips"}, {"type": "floppy"}, {"status": "gone"}):
        assert error_of(await api.get("/images", params=params)) == (422, "invalid_input")
    listing = await api.get("/images/actions", params={"status": "success"})
    assert [a["command"] for a in listing.body["actions"]] == ["create_image", "create_image"]


async def test_backups_edited_in_place_are_found_after_dirty(
    api: Api, clock: ManualClock, fake: FakeHetznerCloud
) -> None:
    sid = await running_server(api, clock)
    image = await make_image(api, clock, sid)
    stored = fake.state.images[image["id"]]
    stored["type"], stored["bound_to"] = "backup", sid
    fake.state.dirty = True
    assert await image_ids(api, bound_to=str(sid)) == [image["id"]]
    await api.delete(f"/servers/{sid}")
    clock.advance(1.0)
    assert error_of(await api.get(f"/images/{image['id']}")) == (404, "not_found")
