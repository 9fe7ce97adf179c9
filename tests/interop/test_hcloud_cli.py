"""The official CLI (``hcloud``, Debian's hcloud-cli 1.30.x) against the standalone fake.

Each test is one step group of a user's cycle; servers a test does not create itself come from the
fake's API directly (by names), so a failure names the CLI step that broke. The CLI waits on
actions with ``GET /actions?id=…``, the endpoint the real API still serves; it makes its first poll
500 ms after starting to wait whatever ``--poll-interval`` says, so each waited step costs 0.5 s.

Left out: nothing. Every step the cycle needs calls an endpoint the real API still serves;
``hcloud`` 1.30 has no command on ``GET /actions`` without ids (removed 2025-01-30), the one
removed endpoint a client of its age could still call.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ..queue.cluster import wait_for
from .cli import HcloudCli
from .standalone import StandaloneFake, public_key

pytestmark = pytest.mark.interop

FREEBSD = "FreeBSD-14.1-RELEASE-amd64-dvd1.iso"


def wait_until_gone(cli: HcloudCli, server: str) -> None:
    """``hcloud server delete`` (1.30) does not wait for the delete action: the server is listed
    as ``deleting`` until it ends."""
    wait_for(
        lambda: server not in names(cli.list("server", "list")),
        timeout=10,
        what=f"server {server} to be gone",
    )


def names(items: list[dict[str, object]]) -> list[object]:
    return [item["name"] for item in items]


# Catalog -----------------------------------------------------------------------------------------


def test_catalog_lists(cli: HcloudCli) -> None:
    assert {"cx22", "cx32", "cax11"} <= set(names(cli.list("server-type", "list")))
    assert cli.json("server-type", "describe", "cx22")["cores"] == 2
    images = cli.json("image", "list", "--type", "system")
    assert {"debian-12", "ubuntu-24.04"} <= set(names(images))
    assert {"fsn1", "nbg1", "hel1"} <= set(names(cli.list("location", "list")))
    assert "fsn1-dc14" in names(cli.list("datacenter", "list"))
    assert FREEBSD in names(cli.list("iso", "list"))
    # The table output, as a user reads it (sorted by the CLI's default, sort=id:asc).
    table = cli("location", "list", "-o", "noheader", "-o", "columns=id,name").split()
    assert table[:2] == ["1", "fsn1"]


# SSH keys ----------------------------------------------------------------------------------------


def test_ssh_keys(cli: HcloudCli) -> None:
    cli("ssh-key", "create", "--name", "ops", "--public-key", public_key("ops@example"))
    cli("ssh-key", "add-label", "ops", "team=ops")
    assert names(cli.list("ssh-key", "list")) == ["ops"]
    assert names(cli.list("ssh-key", "list", "-l", "team=ops")) == ["ops"]
    assert cli.json("ssh-key", "describe", "ops")["labels"] == {"team": "ops"}
    cli("ssh-key", "delete", "ops")
    assert cli.list("ssh-key", "list") == []


# Firewalls ---------------------------------------------------------------------------------------


def test_firewall_rules(cli: HcloudCli, tmp_path: Path) -> None:
    cli("firewall", "create", "--name", "edge", "--label", "tier=edge")
    cli(
        "firewall",
        "add-rule",
        "edge",
        "--direction",
        "in",
        "--protocol",
        "tcp",
        "--port",
        "22",
        "--source-ips",
        "0.0.0.0/0",
        "--description",
        "ssh",
    )
    cli(
        "firewall",
        "add-rule",
        "edge",
        "--direction",
        "out",
        "--protocol",
        "icmp",
        "--destination-ips",
        "10.0.0.0/8",
    )
    rules = cli.json("firewall", "describe", "edge")["rules"]
    assert [(r["direction"], r["protocol"], r["port"]) for r in rules] == [
        ("in", "tcp", "22"),
        ("out", "icmp", None),
    ]

    rules_file = tmp_path / "rules.json"
    rules_file.write_text(
        json.dumps([{"direction": "in", "protocol": "tcp", "port": "443", "source_ips": ["::/0"]}])
    )
    cli("firewall", "replace-rules", "edge", "--rules-file", str(rules_file))
    assert [r["port"] for r in cli.json("firewall", "describe", "edge")["rules"]] == ["443"]

    assert names(cli.list("firewall", "list", "-l", "tier=edge")) == ["edge"]
    cli("firewall", "delete", "edge")
    assert cli.list("firewall", "list") == []


def test_firewall_apply_and_remove(cli: HcloudCli, fake: StandaloneFake) -> None:
    web = fake.create_server("web-1", labels={"role": "web"})
    other = fake.create_server("other-1")
    cli("firewall", "create", "--name", "web")

    cli("firewall", "apply-to-resource", "web", "--type", "server", "--server", "other-1")
    cli(
        "firewall",
        "apply-to-resource",
        "web",
        "--type",
        "label_selector",
        "--label-selector",
        "role=web",
    )
    applied = {a["type"]: a for a in cli.json("firewall", "describe", "web")["applied_to"]}
    assert applied["server"]["server"]["id"] == other["id"]
    assert applied["label_selector"]["label_selector"]["selector"] == "role=web"
    assert [r["server"]["id"] for r in applied["label_selector"]["applied_to_resources"]] == [
        web["id"]
    ]
    firewalls = cli.json("server", "describe", "web-1")["public_net"]["firewalls"]
    assert [f["status"] for f in firewalls] == ["applied"]

    cli("firewall", "remove-from-resource", "web", "--type", "server", "--server", "other-1")
    cli(
        "firewall",
        "remove-from-resource",
        "web",
        "--type",
        "label_selector",
        "--label-selector",
        "role=web",
    )
    assert cli.json("firewall", "describe", "web")["applied_to"] == []
    assert cli.json("server", "describe", "web-1")["public_net"]["firewalls"] == []


# Servers -----------------------------------------------------------------------------------------


def test_server_create_list_describe(cli: HcloudCli) -> None:
    """The CLI resolves --type, --image, --ssh-key… by name, then sends their integer ids."""
    cli("ssh-key", "create", "--name", "deploy", "--public-key", public_key("deploy@example"))
    cli("firewall", "create", "--name", "base")
    for name, role in [("web-1", "web"), ("db-1", "db")]:
        out = cli(
            "server",
            "create",
            "--name",
            name,
            "--type",
            "cx22",
            "--image",
            "debian-12",
            "--location",
            "fsn1",
            "--ssh-key",
            "deploy",
            "--firewall",
            "base",
            "--label",
            f"role={role}",
        )
        assert f"Server {name}" in out or "created" in out

    assert names(cli.list("server", "list", "-l", "role=web")) == ["web-1"]
    table = cli("server", "list", "-l", "role=db", "-o", "noheader", "-o", "columns=name,status")
    assert table.split() == ["db-1", "running"]

    server = cli.json("server", "describe", "web-1")
    assert (server["server_type"]["name"], server["image"]["name"]) == ("cx22", "debian-12")
    assert server["location"]["name"] == "fsn1"
    assert (server["status"], server["labels"]) == ("running", {"role": "web"})
    assert len(server["public_net"]["firewalls"]) == 1


def test_server_power(cli: HcloudCli, fake: StandaloneFake) -> None:
    fake.create_server("power-1")
    for command, expected in [
        ("poweroff", "off"),
        ("poweron", "running"),
        ("reboot", "running"),
        ("reset", "running"),
        ("shutdown", "off"),
    ]:
        cli("server", command, "power-1")
        assert cli.json("server", "describe", "power-1")["status"] == expected, command


def test_server_change_type(cli: HcloudCli, fake: StandaloneFake) -> None:
    fake.create_server("resize-1")
    cli("server", "poweroff", "resize-1")
    cli("server", "change-type", "resize-1", "cx32", "--keep-disk")
    server = cli.json("server", "describe", "resize-1")
    assert (server["server_type"]["name"], server["primary_disk_size"]) == ("cx32", 40)


def test_server_rebuild(cli: HcloudCli, fake: StandaloneFake) -> None:
    fake.create_server("rebuild-1")
    out = cli("server", "rebuild", "rebuild-1", "--image", "ubuntu-24.04")
    assert "rebuilt" in out
    server = cli.json("server", "describe", "rebuild-1")
    assert (server["image"]["name"], server["status"]) == ("ubuntu-24.04", "running")


def test_server_rescue(cli: HcloudCli, fake: StandaloneFake) -> None:
    fake.create_server("rescue-1")
    cli("ssh-key", "create", "--name", "rescue", "--public-key", public_key("rescue@example"))
    out = cli("server", "enable-rescue", "rescue-1", "--ssh-key", "rescue")
    assert "root password" in out
    assert cli.json("server", "describe", "rescue-1")["rescue_enabled"] is True
    cli("server", "disable-rescue", "rescue-1")
    assert cli.json("server", "describe", "rescue-1")["rescue_enabled"] is False


def test_server_labels(cli: HcloudCli, fake: StandaloneFake) -> None:
    fake.create_server("labels-1", labels={"role": "web"})
    cli("server", "add-label", "labels-1", "env=prod")
    assert cli.json("server", "describe", "labels-1")["labels"] == {"role": "web", "env": "prod"}
    assert "already" in cli.fails("server", "add-label", "labels-1", "env=dev")
    cli("server", "add-label", "--overwrite", "labels-1", "env=dev")
    assert names(cli.list("server", "list", "-l", "env=dev")) == ["labels-1"]
    cli("server", "remove-label", "labels-1", "env")
    assert cli.json("server", "describe", "labels-1")["labels"] == {"role": "web"}


def test_server_protection(cli: HcloudCli, fake: StandaloneFake) -> None:
    fake.create_server("keep-1")
    cli("server", "enable-protection", "keep-1", "delete", "rebuild")
    protection = cli.json("server", "describe", "keep-1")["protection"]
    assert protection == {"delete": True, "rebuild": True}
    assert "protected" in cli.fails("server", "delete", "keep-1")
    cli("server", "disable-protection", "keep-1", "delete", "rebuild")
    cli("server", "delete", "keep-1")
    wait_until_gone(cli, "keep-1")


def test_server_iso(cli: HcloudCli, fake: StandaloneFake) -> None:
    fake.create_server("iso-1")
    cli("server", "attach-iso", "iso-1", FREEBSD)
    assert cli.json("server", "describe", "iso-1")["iso"]["name"] == FREEBSD
    cli("server", "detach-iso", "iso-1")
    assert cli.json("server", "describe", "iso-1")["iso"] is None


def test_server_console_password_and_rename(cli: HcloudCli, fake: StandaloneFake) -> None:
    fake.create_server("console-1")
    assert "wss://" in cli("server", "request-console", "console-1")
    assert "reset to:" in cli("server", "reset-password", "console-1")
    cli("server", "update", "console-1", "--name", "console-2")
    assert names(cli.list("server", "list")) == ["console-2"]


def test_server_delete(cli: HcloudCli, fake: StandaloneFake) -> None:
    fake.create_server("gone-1")
    fake.create_server("stays-1")
    out = cli("server", "delete", "gone-1")
    assert "deleted" in out
    wait_until_gone(cli, "gone-1")
    assert names(cli.list("server", "list")) == ["stays-1"]
    assert "not found" in cli.fails("server", "describe", "gone-1")
