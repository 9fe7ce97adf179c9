"""Wire cases of ``hz.firewalls``."""

from __future__ import annotations

from hetzner_async.models import FirewallResource, FirewallRule

from ...examples import example
from ._core import PAGE, WireCase, action_listing_cases, page_of

FIREWALL = example("firewall")
RULE = FirewallRule(direction="in", protocol="tcp", port="443", source_ips=["0.0.0.0/0", "::/0"])
RULE_JSON = {
    "direction": "in",
    "protocol": "tcp",
    "port": "443",
    "source_ips": ["0.0.0.0/0", "::/0"],
    "destination_ips": [],
}

CASES = [
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
        page_of("firewalls", FIREWALL["firewall"]),
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
        page_of("firewalls", FIREWALL["firewall"]),
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
    *action_listing_cases("firewalls", "firewalls", 38),
]
