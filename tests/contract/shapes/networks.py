"""Response shapes of ``/networks``."""

from __future__ import annotations

from hetzner_async.models import Network

from ._core import ACTION, Shape, action_listings, page

NETWORK = {"network": Network}
ACTIONS = ["add_route", "add_subnet", "change_ip_range", "change_protection"]
ACTIONS += ["delete_route", "delete_subnet"]

OPERATIONS: dict[tuple[str, str], Shape] = {
    ("get", "/networks"): page("networks", Network),
    ("post", "/networks"): NETWORK,
    ("get", "/networks/{id}"): NETWORK,
    ("put", "/networks/{id}"): NETWORK,
    **{("post", f"/networks/{{id}}/actions/{name}"): ACTION for name in ACTIONS},
    **action_listings("/networks"),
}
NO_CONTENT = [("delete", "/networks/{id}")]
