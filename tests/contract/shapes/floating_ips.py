"""Response shapes of ``/floating_ips``."""

from __future__ import annotations

from hetzner_async.models import CreateFloatingIPResult, FloatingIP

from ._core import ACTION, Shape, action_listings, page

FLOATING_IP = {"floating_ip": FloatingIP}

OPERATIONS: dict[tuple[str, str], Shape] = {
    ("get", "/floating_ips"): page("floating_ips", FloatingIP),
    ("post", "/floating_ips"): CreateFloatingIPResult,
    ("get", "/floating_ips/{id}"): FLOATING_IP,
    ("put", "/floating_ips/{id}"): FLOATING_IP,
    **{
        ("post", f"/floating_ips/{{id}}/actions/{name}"): ACTION
        for name in ("assign", "unassign", "change_dns_ptr", "change_protection")
    },
    **action_listings("/floating_ips"),
}
NO_CONTENT = [("delete", "/floating_ips/{id}")]
