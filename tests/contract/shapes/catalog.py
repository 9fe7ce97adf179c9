"""Response shapes of the catalog: server and load balancer types, locations, datacenters,
ISOs and pricing."""

from __future__ import annotations

from hetzner_async.models import (
    ISO,
    Datacenter,
    LoadBalancerType,
    Location,
    Meta,
    Pricing,
    ServerType,
)

from ._core import Shape, page

_LOOKUPS: list[tuple[str, str, type]] = [
    ("/server_types", "server_type", ServerType),
    ("/locations", "location", Location),
    ("/isos", "iso", ISO),
    ("/load_balancer_types", "load_balancer_type", LoadBalancerType),
]

OPERATIONS: dict[tuple[str, str], Shape] = {
    **{("get", path): page(f"{key}s", model) for path, key, model in _LOOKUPS},
    **{("get", f"{path}/{{id}}"): {key: model} for path, key, model in _LOOKUPS},
    # The datacenter listing also names the recommended datacenter's ID; the SDK skips it.
    ("get", "/datacenters"): {
        "datacenters": list[Datacenter],
        "recommendation": int,
        "meta": Meta,
    },
    ("get", "/datacenters/{id}"): {"datacenter": Datacenter},
    ("get", "/pricing"): {"pricing": Pricing},
}
