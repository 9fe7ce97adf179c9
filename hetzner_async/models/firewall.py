"""Firewalls, their rules, the resources they apply to, and the result of creating one.

``FirewallRule``, ``FirewallResource`` and the two refs serve both directions: they are parsed
from responses and sent in requests, where an attribute left at ``None`` is not sent at all.
"""

from datetime import datetime
from typing import Self

import attrs

from .action import Action

__all__ = [
    "CreateFirewallResult",
    "Firewall",
    "FirewallAppliedResource",
    "FirewallResource",
    "FirewallRule",
    "LabelSelectorRef",
    "ResourceRef",
]


@attrs.frozen
class FirewallRule:
    """One traffic rule: direction, protocol, port (tcp/udp only) and the CIDRs it matches.

    ``source_ips`` apply to ``in`` rules and ``destination_ips`` to ``out`` rules;
    ``0.0.0.0/0`` and ``::/0`` mean any address.
    """

    direction: str
    protocol: str
    port: str | None = None
    source_ips: list[str] = attrs.Factory(list)
    destination_ips: list[str] = attrs.Factory(list)
    description: str | None = None


@attrs.frozen
class ResourceRef:
    """A reference to a resource by its ID."""

    id: int


@attrs.frozen
class LabelSelectorRef:
    """A reference to every resource matching a label selector."""

    selector: str


@attrs.frozen(kw_only=True)
class FirewallAppliedResource:
    """A server a firewall reaches through one of its label selectors."""

    type: str | None = None
    server: ResourceRef | None = None


@attrs.frozen
class FirewallResource:
    """What a firewall applies to: one server, or every server matching a label selector."""

    type: str
    server: ResourceRef | None = None
    label_selector: LabelSelectorRef | None = None
    # Only in responses, for label selectors: the servers the selector currently matches.
    applied_to_resources: list[FirewallAppliedResource] | None = None

    @classmethod
    def for_server(cls, server_id: int) -> Self:
        """Refer to one server by its ID."""
        return cls(type="server", server=ResourceRef(server_id))

    @classmethod
    def for_label_selector(cls, selector: str) -> Self:
        """Refer to every server matching a label selector such as ``env=prod``."""
        return cls(type="label_selector", label_selector=LabelSelectorRef(selector))


@attrs.frozen(kw_only=True)
class Firewall:
    """A firewall: its rules and the resources it is applied to."""

    id: int
    name: str
    labels: dict[str, str] = attrs.Factory(dict)
    created: datetime
    rules: list[FirewallRule]
    applied_to: list[FirewallResource]


@attrs.frozen(kw_only=True)
class CreateFirewallResult:
    """A new firewall and the actions that set its rules and apply it."""

    # The spec marks both keys optional, but every documented response has the firewall and
    # callers need its id: it is required (a deliberate deviation the contract test lists).
    # An absent list means no actions were started.
    firewall: Firewall
    actions: list[Action] = attrs.Factory(list)
