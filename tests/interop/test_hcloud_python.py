"""The official Python client (hcloud-python, pinned in the ``test`` extra) against the fake.

Each test is one step group of a user's cycle; its set-up uses only what the other tests already
cover, so a failure names the step that broke. The client is sync; it talks HTTP to the fake's
process and waits on actions with its own poller (``BoundAction.wait_until_finished``).
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from hcloud import APIException, Client
from hcloud.actions import BoundAction
from hcloud.firewalls import (
    FirewallResource,
    FirewallResourceLabelSelector,
    FirewallRule,
)
from hcloud.images import Image
from hcloud.locations import Location
from hcloud.server_types import ServerType
from hcloud.servers import BoundServer

from .standalone import StandaloneFake, public_key, standalone_fake

pytestmark = pytest.mark.interop


def finish(actions: BoundAction | Iterable[BoundAction]) -> None:
    """Wait with hcloud's own poller; assert the actions succeeded."""
    for action in [actions] if isinstance(actions, BoundAction) else actions:
        action.wait_until_finished()
        assert action.status == "success", action.error


def make_server(client: Client, name: str, **labels: str) -> BoundServer:
    """Create a server the way hcloud's docs show it, by names; wait until it runs."""
    created = client.servers.create(
        name,
        server_type=ServerType(name="cx22"),
        image=Image(name="debian-12"),
        location=Location(name="fsn1"),
        labels=labels,
    )
    finish([created.action, *created.next_actions])
    return client.servers.get_by_id(created.server.id)


def api_code(excinfo: pytest.ExceptionInfo[APIException]) -> str:
    return str(excinfo.value.code)


# Catalog -----------------------------------------------------------------------------------------


def test_server_types(hcloud_client: Client) -> None:
    types = hcloud_client.server_types.get_all()
    assert {"cx22", "cx32", "cax11"} <= {t.name for t in types}
    cx22 = hcloud_client.server_types.get_by_name("cx22")
    assert cx22 is not None
    assert (cx22.cores, cx22.architecture) == (2, "x86")
    assert hcloud_client.server_types.get_by_id(cx22.id).name == "cx22"


def test_images(hcloud_client: Client) -> None:
    arm = hcloud_client.images.get_all(type=["system"], architecture=["arm"])
    assert arm
    assert {i.architecture for i in arm} == {"arm"}
    image = hcloud_client.images.get_by_name_and_architecture("debian-12", "x86")
    assert image is not None
    assert (image.os_flavor, image.type) == ("debian", "system")
    assert hcloud_client.images.get_by_id(image.id).name == "debian-12"
    newest_first = hcloud_client.images.get_all(sort=["created:desc", "id:asc"])
    expected = sorted(newest_first, key=lambda i: i.id)
    expected.sort(key=lambda i: i.created, reverse=True)
    assert [i.id for i in newest_first] == [i.id for i in expected]
    assert len(newest_first) == len(hcloud_client.images.get_all())


def test_locations(hcloud_client: Client) -> None:
    names = [loc.name for loc in hcloud_client.locations.get_all()]
    assert {"fsn1", "nbg1", "hel1"} <= set(names)
    fsn1 = hcloud_client.locations.get_by_name("fsn1")
    assert fsn1 is not None
    assert (fsn1.country, fsn1.network_zone) == ("DE", "eu-central")


def test_datacenters(hcloud_client: Client) -> None:
    # Deprecated upstream (hcloud 2.22+ warns), still served by the API until 2026-10-01.
    with pytest.warns(DeprecationWarning, match="datacenters"):
        datacenters = hcloud_client.datacenters
    found = datacenters.get_by_name("fsn1-dc14")
    assert found is not None
    assert found.location.name == "fsn1"
    assert len(datacenters.get_all()) >= 3


def test_isos(hcloud_client: Client) -> None:
    isos = hcloud_client.isos.get_all(architecture=["x86"])
    assert isos
    assert {i.architecture for i in isos} == {"x86"}
    iso = hcloud_client.isos.get_by_name("FreeBSD-14.1-RELEASE-amd64-dvd1.iso")
    assert iso is not None
    assert hcloud_client.isos.get_by_id(iso.id).name == iso.name


# SSH keys ----------------------------------------------------------------------------------------


def test_ssh_keys(hcloud_client: Client) -> None:
    key = hcloud_client.ssh_keys.create(
        "ops", public_key=public_key("ops@example"), labels={"team": "ops"}
    )
    assert hcloud_client.ssh_keys.get_by_id(key.id).name == "ops"
    by_name = hcloud_client.ssh_keys.get_by_name("ops")
    assert by_name is not None
    assert by_name.id == key.id
    by_print = hcloud_client.ssh_keys.get_by_fingerprint(key.fingerprint)
    assert by_print is not None
    assert by_print.id == key.id
    assert [k.id for k in hcloud_client.ssh_keys.get_all(label_selector="team=ops")] == [key.id]

    updated = key.update(name="ops-2", labels={"team": "sre"})
    assert (updated.name, updated.labels) == ("ops-2", {"team": "sre"})
    assert hcloud_client.ssh_keys.get_all(label_selector="team=ops") == []

    assert key.delete() is True
    assert hcloud_client.ssh_keys.get_by_name("ops-2") is None


# Firewalls ---------------------------------------------------------------------------------------

SSH_IN = FirewallRule(
    direction="in", protocol="tcp", port="22", source_ips=["0.0.0.0/0", "::/0"], description="ssh"
)
HTTPS_IN = FirewallRule(direction="in", protocol="tcp", port="443", source_ips=["0.0.0.0/0"])
PING_OUT = FirewallRule(direction="out", protocol="icmp", destination_ips=["10.0.0.0/8"])


def test_firewall_create_with_rules_and_a_server(hcloud_client: Client) -> None:
    server = make_server(hcloud_client, "fw-target")
    created = hcloud_client.firewalls.create(
        "edge",
        rules=[SSH_IN, PING_OUT],
        labels={"tier": "edge"},
        resources=[FirewallResource(type="server", server=server)],
    )
    finish(created.actions)
    firewall = hcloud_client.firewalls.get_by_id(created.firewall.id)
    assert [(r.direction, r.protocol, r.port) for r in firewall.rules] == [
        ("in", "tcp", "22"),
        ("out", "icmp", None),
    ]
    assert [(a.type, a.server.id) for a in firewall.applied_to] == [("server", server.id)]
    server.reload()
    assert [f.firewall.id for f in server.public_net.firewalls] == [firewall.id]


def test_firewall_apply_to_a_server_and_a_label_selector(hcloud_client: Client) -> None:
    web = make_server(hcloud_client, "web-1", role="web")
    other = make_server(hcloud_client, "other-1")
    firewall = hcloud_client.firewalls.create("web", rules=[HTTPS_IN]).firewall

    finish(
        firewall.apply_to_resources(
            [
                FirewallResource(type="server", server=other),
                FirewallResource(
                    type="label_selector",
                    label_selector=FirewallResourceLabelSelector(selector="role=web"),
                ),
            ]
        )
    )
    firewall.reload()
    applied = {a.type: a for a in firewall.applied_to}
    assert applied["server"].server.id == other.id
    assert applied["label_selector"].label_selector.selector == "role=web"
    assert [r.server.id for r in applied["label_selector"].applied_to_resources] == [web.id]
    web.reload()
    assert [f.firewall.id for f in web.public_net.firewalls] == [firewall.id]


def test_firewall_remove_from_resources(hcloud_client: Client) -> None:
    server = make_server(hcloud_client, "app-1", role="app")
    selector = FirewallResource(
        type="label_selector", label_selector=FirewallResourceLabelSelector(selector="role=app")
    )
    created = hcloud_client.firewalls.create(
        "app", resources=[FirewallResource(type="server", server=server), selector]
    )
    finish(created.actions)

    finish(
        created.firewall.remove_from_resources(
            [FirewallResource(type="server", server=server), selector]
        )
    )
    assert hcloud_client.firewalls.get_by_id(created.firewall.id).applied_to == []
    server.reload()
    assert server.public_net.firewalls == []


def test_firewall_set_rules_update_and_delete(hcloud_client: Client) -> None:
    firewall = hcloud_client.firewalls.create("rules", rules=[SSH_IN], labels={"a": "1"}).firewall
    finish(firewall.set_rules([HTTPS_IN, PING_OUT]))
    assert [r.port for r in hcloud_client.firewalls.get_by_id(firewall.id).rules] == ["443", None]
    finish(firewall.set_rules([]))
    assert hcloud_client.firewalls.get_by_id(firewall.id).rules == []

    updated = firewall.update(name="rules-2", labels={"a": "2"})
    assert (updated.name, updated.labels) == ("rules-2", {"a": "2"})
    assert [f.id for f in hcloud_client.firewalls.get_all(label_selector="a=2")] == [firewall.id]
    hcloud_client.firewalls.create("other")
    assert [f.name for f in hcloud_client.firewalls.get_all(sort=["name:desc"])] == [
        "rules-2",
        "other",
    ]

    assert firewall.delete() is True
    with pytest.raises(APIException) as excinfo:
        hcloud_client.firewalls.get_by_id(firewall.id)
    assert api_code(excinfo) == "not_found"


# Servers -----------------------------------------------------------------------------------------


def test_create_server_with_objects_fetched_by_name(hcloud_client: Client) -> None:
    """hcloud sends the ids of fetched objects, as integers, in the "ID or name" fields."""
    server_type = hcloud_client.server_types.get_by_name("cx22")
    image = hcloud_client.images.get_by_name_and_architecture("debian-12", "x86")
    location = hcloud_client.locations.get_by_name("nbg1")
    key = hcloud_client.ssh_keys.create("deploy", public_key=public_key("deploy@example"))
    firewall = hcloud_client.firewalls.create("base", rules=[SSH_IN]).firewall
    assert server_type is not None
    assert image is not None
    assert location is not None

    created = hcloud_client.servers.create(
        "api-1",
        server_type=server_type,
        image=image,
        location=location,
        ssh_keys=[key],
        firewalls=[firewall],
        labels={"role": "api"},
        user_data="#cloud-config\n",
    )
    assert created.server.status == "initializing"
    finish([created.action, *created.next_actions])

    server = hcloud_client.servers.get_by_name("api-1")
    assert server is not None
    assert server.status == "running"
    assert (server.server_type.id, server.image.id) == (server_type.id, image.id)
    assert server.location.name == "nbg1"
    assert server.labels == {"role": "api"}
    assert [f.firewall.id for f in server.public_net.firewalls] == [firewall.id]
    assert server.public_net.ipv4.ip


def test_power_actions(hcloud_client: Client) -> None:
    server = make_server(hcloud_client, "power-1")
    for step, expected in [
        (server.power_off, "off"),
        (server.power_on, "running"),
        (server.reboot, "running"),
        (server.reset, "running"),
        (server.shutdown, "off"),
    ]:
        action = step()
        finish(action)
        server.reload()
        assert server.status == expected, step.__name__


def test_rebuild(hcloud_client: Client) -> None:
    server = make_server(hcloud_client, "rebuild-1")
    image = hcloud_client.images.get_by_name_and_architecture("ubuntu-24.04", "x86")
    assert image is not None
    rebuilt = server.rebuild(image)
    assert rebuilt.root_password
    finish(rebuilt.action)
    server.reload()
    assert (server.image.name, server.status) == ("ubuntu-24.04", "running")


def test_change_type(hcloud_client: Client) -> None:
    server = make_server(hcloud_client, "resize-1")
    finish(server.power_off())
    cx32 = hcloud_client.server_types.get_by_name("cx32")
    assert cx32 is not None
    finish(server.change_type(cx32, upgrade_disk=False))
    server.reload()
    assert server.server_type.name == "cx32"
    assert server.primary_disk_size == 40  # upgrade_disk=False keeps the disk


def test_rescue(hcloud_client: Client) -> None:
    server = make_server(hcloud_client, "rescue-1")
    key = hcloud_client.ssh_keys.create("rescue", public_key=public_key("rescue@example"))
    enabled = server.enable_rescue(type="linux64", ssh_keys=[key.id])
    assert enabled.root_password
    finish(enabled.action)
    server.reload()
    assert server.rescue_enabled is True
    finish(server.disable_rescue())
    server.reload()
    assert server.rescue_enabled is False


def test_attach_and_detach_iso(hcloud_client: Client) -> None:
    server = make_server(hcloud_client, "iso-1")
    iso = hcloud_client.isos.get_by_name("FreeBSD-14.1-RELEASE-amd64-dvd1.iso")
    assert iso is not None
    finish(server.attach_iso(iso))
    server.reload()
    assert server.iso is not None
    assert server.iso.id == iso.id
    finish(server.detach_iso())
    server.reload()
    assert server.iso is None


def test_protection(hcloud_client: Client) -> None:
    server = make_server(hcloud_client, "keep-1")
    finish(server.change_protection(delete=True, rebuild=True))
    server.reload()
    assert server.protection == {"delete": True, "rebuild": True}
    with pytest.raises(APIException) as excinfo:
        server.delete()
    assert api_code(excinfo) == "protected"
    finish(server.change_protection(delete=False, rebuild=False))
    finish(server.delete())


def test_console_and_password(hcloud_client: Client) -> None:
    server = make_server(hcloud_client, "console-1")
    console = server.request_console()
    assert console.wss_url.startswith("wss://")
    assert console.password
    finish(console.action)
    reset = server.reset_password()
    assert reset.root_password
    finish(reset.action)


def test_update_and_server_actions(hcloud_client: Client) -> None:
    server = make_server(hcloud_client, "old-name", role="web")
    updated = server.update(name="new-name", labels={"role": "db"})
    assert (updated.name, updated.labels) == ("new-name", {"role": "db"})
    finish(server.reboot())

    own = server.get_actions_list(sort=["id:asc"])
    assert [a.command for a in own.actions][-1] == "reboot_server"
    assert own.meta.pagination.total_entries == len(own.actions)
    everything = hcloud_client.servers.actions.get_all(sort=["id:desc"])
    assert everything[0].command == "reboot_server"
    assert hcloud_client.actions.get_by_id(everything[0].id).status == "success"
    # client.actions.get_list()/get_all() without ids call GET /actions, removed from the real API
    # on 2025-01-30 (hcloud marks them deprecated): left out.


# Listing -----------------------------------------------------------------------------------------


def test_label_selectors_and_pagination(hcloud_client: Client) -> None:
    """60 servers: more than one page of the largest page size (50)."""
    for n in range(60):
        hcloud_client.servers.create(
            f"node-{n:02d}",
            server_type=ServerType(name="cx22"),
            image=Image(name="debian-12"),
            labels={"role": "web" if n % 2 == 0 else "db", "pool": "a" if n < 20 else "b"},
        )

    everything = hcloud_client.servers.get_all()
    assert sorted(s.name for s in everything) == [f"node-{n:02d}" for n in range(60)]
    assert len(hcloud_client.servers.get_all(label_selector="role=web")) == 30
    assert len(hcloud_client.servers.get_all(label_selector="role=web,pool=a")) == 10
    assert len(hcloud_client.servers.get_all(label_selector="role!=web")) == 30
    assert len(hcloud_client.servers.get_all(label_selector="pool in (a)")) == 20
    assert len(hcloud_client.servers.get_all(label_selector="!missing")) == 60

    # hcloud-python sends no sort for servers: the API's order is by id.
    page = hcloud_client.servers.get_list(page=2, per_page=25)
    assert [s.name for s in page.servers] == [f"node-{n:02d}" for n in range(25, 50)]
    pagination = page.meta.pagination
    assert (pagination.previous_page, pagination.next_page, pagination.last_page) == (1, 3, 3)
    assert pagination.total_entries == 60
    last = hcloud_client.servers.get_list(page=3, per_page=25, label_selector="pool")
    assert [s.name for s in last.servers] == [f"node-{n:02d}" for n in range(50, 60)]
    assert last.meta.pagination.next_page is None

    assert hcloud_client.servers.get_by_name("node-42") is not None
    assert hcloud_client.servers.get_list(name="node-42").servers[0].labels["role"] == "web"


# Errors ------------------------------------------------------------------------------------------


def test_error_uniqueness(hcloud_client: Client) -> None:
    hcloud_client.ssh_keys.create("dup", public_key=public_key("one@example"))
    with pytest.raises(APIException) as excinfo:
        hcloud_client.ssh_keys.create("dup", public_key=public_key("two@example"))
    assert api_code(excinfo) == "uniqueness_error"

    make_server(hcloud_client, "twin")
    with pytest.raises(APIException) as excinfo:
        make_server(hcloud_client, "twin")
    assert api_code(excinfo) == "uniqueness_error"


def test_error_not_found(hcloud_client: Client) -> None:
    for get in (
        hcloud_client.servers.get_by_id,
        hcloud_client.ssh_keys.get_by_id,
        hcloud_client.firewalls.get_by_id,
        hcloud_client.server_types.get_by_id,
        hcloud_client.actions.get_by_id,
    ):
        with pytest.raises(APIException) as excinfo:
            get(987654321)
        assert api_code(excinfo) == "not_found", get
    assert hcloud_client.servers.get_by_name("nobody") is None


def test_error_invalid_input(hcloud_client: Client) -> None:
    with pytest.raises(APIException) as excinfo:
        make_server(hcloud_client, "not a hostname!")
    assert api_code(excinfo) == "invalid_input"
    assert [f["name"] for f in excinfo.value.details["fields"]] == ["name"]

    with pytest.raises(APIException) as excinfo:
        hcloud_client.ssh_keys.create("bad", public_key="ssh-ed25519 not-base64!")
    assert api_code(excinfo) == "invalid_input"

    with pytest.raises(APIException) as excinfo:
        hcloud_client.servers.get_all(label_selector="role in (web")
    assert api_code(excinfo) == "invalid_input"


def test_error_unauthorized(fake: StandaloneFake) -> None:
    stranger = Client(token="not-the-token", api_endpoint=fake.url, poll_interval=0.01)
    with pytest.raises(APIException) as excinfo:
        stranger.servers.get_all()
    assert api_code(excinfo) == "unauthorized"


def test_error_locked() -> None:
    """A server is locked while an action runs on it: actions of 30 s, on a fake of its own."""
    with standalone_fake(action_duration=30) as slow:
        client = Client(token=slow.token, api_endpoint=slow.url, poll_interval=0.01)
        created = client.servers.create(
            "busy", server_type=ServerType(name="cx22"), image=Image(name="debian-12")
        )
        assert created.action.status == "running"
        with pytest.raises(APIException) as excinfo:
            created.server.power_off()
        assert api_code(excinfo) == "locked"
