"""Response shapes of ``/firewalls``."""

from __future__ import annotations

from hetzner_async.models import CreateFirewallResult, Firewall

from ._core import ACTIONS, Shape, action_listings, page

FIREWALL = {"firewall": Firewall}

OPERATIONS: dict[tuple[str, str], Shape] = {
    ("get", "/firewalls"): page("firewalls", Firewall),
    ("post", "/firewalls"): CreateFirewallResult,
    ("get", "/firewalls/{id}"): FIREWALL,
    ("put", "/firewalls/{id}"): FIREWALL,
    ("post", "/firewalls/{id}/actions/apply_to_resources"): ACTIONS,
    ("post", "/firewalls/{id}/actions/remove_from_resources"): ACTIONS,
    ("post", "/firewalls/{id}/actions/set_rules"): ACTIONS,
    **action_listings("/firewalls"),
}
NO_CONTENT = [("delete", "/firewalls/{id}")]
