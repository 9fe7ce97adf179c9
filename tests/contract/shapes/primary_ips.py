"""Response shapes of ``/primary_ips``."""

from __future__ import annotations

from hetzner_async.models import CreatePrimaryIPResult, PrimaryIP

from ._core import ACTION, Shape, action_listings, page

PRIMARY_IP = {"primary_ip": PrimaryIP}

OPERATIONS: dict[tuple[str, str], Shape] = {
    ("get", "/primary_ips"): page("primary_ips", PrimaryIP),
    ("post", "/primary_ips"): CreatePrimaryIPResult,
    ("get", "/primary_ips/{id}"): PRIMARY_IP,
    ("put", "/primary_ips/{id}"): PRIMARY_IP,
    **{
        ("post", f"/primary_ips/{{id}}/actions/{name}"): ACTION
        for name in ("assign", "unassign", "change_dns_ptr", "change_protection")
    },
    **action_listings("/primary_ips"),
}
NO_CONTENT = [("delete", "/primary_ips/{id}")]
