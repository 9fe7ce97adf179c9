"""The wire shape of every public resource method: one row per call, shared by several tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import attrs

from hetzner_async.models import FirewallResource, FirewallRule

from ..examples import example

SERVER = example("server")
SSH_KEY = example("ssh_key")
FIREWALL = example("firewall")
ACTION = example("action_generic")
LAST_PAGE = {
    "pagination": {
        "page": 1,
        "per_page": 50,
        "previous_page": None,
        "next_page": None,
        "last_page": 1,
        "total_entries": 1,
    }
}
PAGE = [("page", "1"), ("per_page", "50")]
RULE = FirewallRule(direction="in", protocol="tcp", port="443", source_ips=["0.0.0.0/0", "::/0"])
RULE_JSON = {
    "direction": "in",
    "protocol": "tcp",
    "port": "443",
    "source_ips": ["0.0.0.0/0", "::/0"],
    "destination_ips": [],
}


#: Public methods pinned by a dedicated test (registered with ``@covers``).
COVERED: set[str] = set()

F = TypeVar("F", bound=Callable[..., Any])


def covers(*calls: str) -> Callable[[F], F]:
    """Mark a test as the one that pins these public methods (for the meta-test)."""

    def mark(test: F) -> F:
        COVERED.update(calls)
        return test

    return mark


@attrs.frozen
class WireCase:
    """One call of a public method and exactly what it must send."""

    call: str  # "group.method"
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    method: str
    path: str
    query: list[tuple[str, str]]
    body: dict[str, Any] | None
    status: int
    response: Any

    @property
    def id(self) -> str:
        return self.call


def _server_action(
    name: str, command: str, body: dict[str, Any] | None = None, **kw: Any
) -> WireCase:
    return WireCase(
        f"servers.{name}",
        (42,),
        kw,
        "POST",
        f"/v1/servers/42/actions/{command}",
        [],
        body,
        201,
        example("server_action_poweron_response"),
    )


CASES = [
    # --- servers ---
    WireCase(
        "servers.list",
        (),
        {
            "name": "web-1",
            "label_selector": "role=web,env!=dev",
            "status": ["running", "off"],
            "sort": ["name:asc", "created:desc"],
        },
        "GET",
        "/v1/servers",
        [
            ("name", "web-1"),
            ("label_selector", "role=web,env!=dev"),
            ("status", "running"),
            ("status", "off"),
            ("sort", "name:asc"),
            ("sort", "created:desc"),
            *PAGE,
        ],
        None,
        200,
        {"servers": [SERVER["server"]], "meta": LAST_PAGE},
    ),
    WireCase("servers.get", (42,), {}, "GET", "/v1/servers/42", [], None, 200, SERVER),
    WireCase(
        "servers.get_by_name",
        ("web-1",),
        {},
        "GET",
        "/v1/servers",
        [("name", "web-1"), *PAGE],
        None,
        200,
        {"servers": [SERVER["server"]], "meta": LAST_PAGE},
    ),
    WireCase(
        "servers.create",
        (),
        {
            "name": "web-1",
            "server_type": "cx22",
            "image": "debian-12",
            "location": "fsn1",
            "ssh_keys": [7, "ops"],
            "firewalls": [38],
            "networks": [456],
            "volumes": [123],
            "placement_group": 1,
            "user_data": "#cloud-config\n",
            "labels": {"role": "web"},
            "start_after_create": True,
            "automount": False,
            "enable_ipv4": True,
            "enable_ipv6": False,
        },
        "POST",
        "/v1/servers",
        [],
        {
            "name": "web-1",
            "server_type": "cx22",
            "image": "debian-12",
            "location": "fsn1",
            "ssh_keys": ["7", "ops"],
            "firewalls": [{"firewall": 38}],
            "networks": [456],
            "volumes": [123],
            "placement_group": 1,
            "user_data": "#cloud-config\n",
            "labels": {"role": "web"},
            "start_after_create": True,
            "automount": False,
            "public_net": {"enable_ipv4": True, "enable_ipv6": False},
        },
        201,
        example("create_server_response"),
    ),
    WireCase(
        "servers.update",
        (42,),
        {"name": "web-2", "labels": {"role": "db"}},
        "PUT",
        "/v1/servers/42",
        [],
        {"name": "web-2", "labels": {"role": "db"}},
        200,
        SERVER,
    ),
    WireCase(
        "servers.delete",
        (42,),
        {},
        "DELETE",
        "/v1/servers/42",
        [],
        None,
        200,
        example("delete_server_response"),
    ),
    _server_action("power_on", "poweron"),
    _server_action("power_off", "poweroff"),
    _server_action("shutdown", "shutdown"),
    _server_action("reboot", "reboot"),
    _server_action("reset", "reset"),
    _server_action("disable_rescue", "disable_rescue"),
    _server_action("detach_iso", "detach_iso"),
    _server_action(
        "change_type",
        "change_type",
        {"server_type": "cx32", "upgrade_disk": True},
        server_type="cx32",
        upgrade_disk=True,
    ),
    _server_action("attach_iso", "attach_iso", {"iso": "FreeBSD-11.0"}, iso="FreeBSD-11.0"),
    _server_action(
        "change_protection",
        "change_protection",
        {"delete": True, "rebuild": True},
        delete=True,
        rebuild=True,
    ),
    attrs.evolve(
        _server_action(
            "rebuild",
            "rebuild",
            {"image": "debian-12", "user_data": "#x"},
            image="debian-12",
            user_data="#x",
        ),
        response=example("server_action_rebuild_response"),
    ),
    attrs.evolve(
        _server_action(
            "enable_rescue",
            "enable_rescue",
            {"type": "linux64", "ssh_keys": [2323]},
            type="linux64",
            ssh_keys=[2323],
        ),
        response={"action": ACTION["action"], "root_password": "zCWbFhnu950dT"},
    ),
    attrs.evolve(
        _server_action("request_console", "request_console"),
        response=example("server_action_request_console_response"),
    ),
    attrs.evolve(
        _server_action("reset_password", "reset_password"),
        response={"action": ACTION["action"], "root_password": "zCWbFhnu950dT"},
    ),
    # --- ssh_keys ---
    WireCase(
        "ssh_keys.list",
        (),
        {"name": "ops", "fingerprint": "b7:2f", "label_selector": {"team": "ops"}, "sort": "id"},
        "GET",
        "/v1/ssh_keys",
        [
            ("name", "ops"),
            ("fingerprint", "b7:2f"),
            ("label_selector", "team=ops"),
            ("sort", "id"),
            *PAGE,
        ],
        None,
        200,
        {"ssh_keys": [SSH_KEY["ssh_key"]], "meta": LAST_PAGE},
    ),
    WireCase("ssh_keys.get", (2323,), {}, "GET", "/v1/ssh_keys/2323", [], None, 200, SSH_KEY),
    WireCase(
        "ssh_keys.get_by_name",
        ("ops",),
        {},
        "GET",
        "/v1/ssh_keys",
        [("name", "ops"), *PAGE],
        None,
        200,
        {"ssh_keys": [SSH_KEY["ssh_key"]], "meta": LAST_PAGE},
    ),
    WireCase(
        "ssh_keys.create",
        (),
        {"name": "ops", "public_key": "ssh-ed25519 AAAA ops@host\n", "labels": {"team": "ops"}},
        "POST",
        "/v1/ssh_keys",
        [],
        {"name": "ops", "public_key": "ssh-ed25519 AAAA ops@host", "labels": {"team": "ops"}},
        201,
        SSH_KEY,
    ),
    WireCase(
        "ssh_keys.update",
        (2323,),
        {"name": "ops-2", "labels": {}},
        "PUT",
        "/v1/ssh_keys/2323",
        [],
        {"name": "ops-2", "labels": {}},
        200,
        SSH_KEY,
    ),
    WireCase("ssh_keys.delete", (2323,), {}, "DELETE", "/v1/ssh_keys/2323", [], None, 204, None),
    # --- firewalls ---
    WireCase(
        "firewalls.list",
        (),
        {"name": "web", "label_selector": "env in (prod,staging)", "sort": ["created:desc"]},
        "GET",
        "/v1/firewalls",
        [
            ("name", "web"),
            ("label_selector", "env in (prod,staging)"),
            ("sort", "created:desc"),
            *PAGE,
        ],
        None,
        200,
        {"firewalls": [FIREWALL["firewall"]], "meta": LAST_PAGE},
    ),
    WireCase("firewalls.get", (38,), {}, "GET", "/v1/firewalls/38", [], None, 200, FIREWALL),
    WireCase(
        "firewalls.get_by_name",
        ("web",),
        {},
        "GET",
        "/v1/firewalls",
        [("name", "web"), *PAGE],
        None,
        200,
        {"firewalls": [FIREWALL["firewall"]], "meta": LAST_PAGE},
    ),
    WireCase(
        "firewalls.create",
        (),
        {
            "name": "web",
            "rules": [RULE],
            "apply_to": [
                FirewallResource.for_server(42),
                FirewallResource.for_label_selector("role=web"),
            ],
            "labels": {"role": "web"},
        },
        "POST",
        "/v1/firewalls",
        [],
        {
            "name": "web",
            "rules": [RULE_JSON],
            "apply_to": [
                {"type": "server", "server": {"id": 42}},
                {"type": "label_selector", "label_selector": {"selector": "role=web"}},
            ],
            "labels": {"role": "web"},
        },
        201,
        example("create_firewall_response"),
    ),
    WireCase(
        "firewalls.update",
        (38,),
        {"name": "web-2", "labels": {"a": "b"}},
        "PUT",
        "/v1/firewalls/38",
        [],
        {"name": "web-2", "labels": {"a": "b"}},
        200,
        FIREWALL,
    ),
    WireCase("firewalls.delete", (38,), {}, "DELETE", "/v1/firewalls/38", [], None, 204, None),
    WireCase(
        "firewalls.set_rules",
        (38, [RULE]),
        {},
        "POST",
        "/v1/firewalls/38/actions/set_rules",
        [],
        {"rules": [RULE_JSON]},
        201,
        example("firewall_set_rules_response"),
    ),
    WireCase(
        "firewalls.apply_to_resources",
        (38, [FirewallResource.for_server(42)]),
        {},
        "POST",
        "/v1/firewalls/38/actions/apply_to_resources",
        [],
        {"apply_to": [{"type": "server", "server": {"id": 42}}]},
        201,
        example("firewall_apply_to_resources_response"),
    ),
    WireCase(
        "firewalls.remove_from_resources",
        (38, [FirewallResource.for_label_selector("env=prod")]),
        {},
        "POST",
        "/v1/firewalls/38/actions/remove_from_resources",
        [],
        {"remove_from": [{"type": "label_selector", "label_selector": {"selector": "env=prod"}}]},
        201,
        example("firewall_remove_from_resources_response"),
    ),
    # --- actions ---
    WireCase("actions.get", (42,), {}, "GET", "/v1/actions/42", [], None, 200, ACTION),
    WireCase(
        "actions.get_many",
        ([42, 43],),
        {},
        "GET",
        "/v1/actions",
        [("id", "42"), ("id", "43")],
        None,
        200,
        example("actions_list_response"),
    ),
]
