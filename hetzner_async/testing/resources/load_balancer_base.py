"""What the load balancer modules share: the kind, its actions, hold keys and limit errors.

Every load balancer action locks the load balancer while it runs (a second one answers
``423 locked``, as the real API does for concurrent changes); the configuration it changes is
stored at once, as the API shows it at once, and the action reports the change's rollout.
https://docs.hetzner.cloud/reference/cloud#load-balancers
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Hashable, Iterable

from ..core import Hold, Json, Kind, Project, Ref
from ..errors import ApiError

__all__ = [
    "LOAD_BALANCER",
    "MAX_NAME",
    "limit_exceeded",
    "private_ip",
    "run",
    "service_hold",
    "target_hold",
    "target_key",
]

MAX_NAME = 128
# The spec's pattern for a name: no whitespace at either end.
_NAME = re.compile(r"^\S(.*\S)?$", re.DOTALL)


def _name_problem(name: str) -> str | None:
    if len(name) > MAX_NAME:
        return f"must be at most {MAX_NAME} characters"
    return None if _NAME.match(name) else "must not be empty or start or end with whitespace"


LOAD_BALANCER = Kind(
    "load_balancer",
    "load_balancers",
    first_id=10_000_001,
    title="Load Balancer",
    check_name=_name_problem,
    protection=("delete",),
)


def target_key(target: Json) -> tuple[str, str]:
    """Return what identifies a target within its load balancer (``target_already_defined``)."""
    kind = target["type"]
    if kind == "server":
        return kind, str(target["server"]["id"])
    if kind == "label_selector":
        return kind, target["label_selector"]["selector"]
    return kind, str(ipaddress.ip_address(target["ip"]["ip"]))


#: Private addresses: an IP target there is a vSwitch IP, reached through a network.
_PRIVATE = tuple(
    ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")
)


def private_ip(ip_text: str) -> bool:
    """Tell whether an IP target is a private address (a vSwitch IP, reached via a network)."""
    ip = ipaddress.ip_address(ip_text)
    return any(ip in net for net in _PRIVATE)


def target_hold(lb_id: int, key: tuple[str, str]) -> Hashable:
    """Return the key an ``add_target`` action holds: the target's health is ``unknown``."""
    return ("lb_target", lb_id, *key)


def service_hold(lb_id: int, port: int) -> Hashable:
    """Return the key an ``add_service``/``update_service`` action holds on its port."""
    return ("lb_service", lb_id, port)


def run(
    project: Project,
    lb: Json,
    command: str,
    *,
    also: Iterable[Ref] = (),
    holds: Iterable[Hashable] = (),
) -> Json:
    """Start an action on a load balancer (and ``also`` other resources); it locks the LB."""
    ref = (LOAD_BALANCER.name, lb["id"])
    held: list[Hold] = [(key, ref) for key in holds]
    return project.start_action(command, [ref, *also], locks=[ref], holds=held)


def limit_exceeded(what: str, limit: int, name: str) -> ApiError:
    """Build the ``403 resource_limit_exceeded`` a load balancer type's maximum answers."""
    return ApiError(
        403,
        "resource_limit_exceeded",
        f"the Load Balancer type allows at most {limit} {what}",
        {"limits": [{"name": name}]},
    )
