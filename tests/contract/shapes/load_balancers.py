"""Response shapes of ``/load_balancers``."""

from __future__ import annotations

from hetzner_async.models import CreateLoadBalancerResult, LoadBalancer, Metrics

from ._core import ACTION, Shape, action_listings, page

LOAD_BALANCER = {"load_balancer": LoadBalancer}

ACTIONS = [
    "add_service",
    "update_service",
    "delete_service",
    "add_target",
    "remove_target",
    "attach_to_network",
    "detach_from_network",
    "change_algorithm",
    "change_type",
    "change_dns_ptr",
    "change_protection",
    "enable_public_interface",
    "disable_public_interface",
]

OPERATIONS: dict[tuple[str, str], Shape] = {
    ("get", "/load_balancers"): page("load_balancers", LoadBalancer),
    ("post", "/load_balancers"): CreateLoadBalancerResult,
    ("get", "/load_balancers/{id}"): LOAD_BALANCER,
    ("put", "/load_balancers/{id}"): LOAD_BALANCER,
    ("get", "/load_balancers/{id}/metrics"): {"metrics": Metrics},
    **{("post", f"/load_balancers/{{id}}/actions/{name}"): ACTION for name in ACTIONS},
    **action_listings("/load_balancers"),
}
NO_CONTENT = [("delete", "/load_balancers/{id}")]
