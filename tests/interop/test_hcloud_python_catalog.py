"""hcloud-python (the official Python client) against the fake: catalog, SSH keys, firewalls.

hcloud-python is pinned in the ``test`` extra. Each test is one step group of a user's cycle; its
set-up uses only what the other tests already cover, so a failure names the step that broke. The
client is sync; it talks HTTP to the fake's process and waits on actions with its own poller
(``BoundAction.wait_until_finished``).
"""

from __future__ import annotations

import pytest
from hcloud import APIException, Client
from hcloud.firewalls import FirewallResource, FirewallResourceLabelSelector

from .pyclient import HTTPS_IN, PING_OUT, SSH_IN, api_code, finish, make_server
from .standalone import public_key

pytestmark = pytest.mark.interop


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
