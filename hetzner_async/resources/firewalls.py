"""``hz.firewalls``: firewalls, their rules, and what they are applied to."""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Mapping, Sequence

from .._validate import check_firewall_name, check_firewall_rules, check_labels
from ..errors import ValidationError
from ..models import Action, CreateFirewallResult, Firewall, FirewallResource, FirewallRule
from ._base import LabelSelector, Sort, query
from ._collection import ActionListings

__all__ = ["Firewalls"]


def _check_resources(field: str, resources: Sequence[FirewallResource]) -> None:
    for resource in resources:
        if resource.type == "server" and resource.server is None:
            raise ValidationError(field, "a 'server' resource needs server=ResourceRef(id)")
        if resource.type == "label_selector" and resource.label_selector is None:
            raise ValidationError(field, "a 'label_selector' resource needs its selector")
        if resource.type not in ("server", "label_selector"):
            raise ValidationError(
                field, f"type must be 'server' or 'label_selector', not {resource.type!r}"
            )


class Firewalls(ActionListings[Firewall]):
    """Firewalls of the project (https://docs.hetzner.cloud/reference/cloud#firewalls)."""

    path = "/firewalls"
    item_key = "firewall"
    page_key = "firewalls"
    model = Firewall

    def iter(
        self,
        *,
        name: str | None = None,
        label_selector: LabelSelector | None = None,
        sort: Sort | None = None,
    ) -> AsyncIterator[Firewall]:
        """Iterate over every matching firewall, fetching pages of 50 as needed."""
        return self._iter(query(name=name, label_selector=label_selector, sort=sort))

    async def list(
        self,
        *,
        name: str | None = None,
        label_selector: LabelSelector | None = None,
        sort: Sort | None = None,
    ) -> list[Firewall]:
        """Return every matching firewall (all pages)."""
        firewalls = self.iter(name=name, label_selector=label_selector, sort=sort)
        return [firewall async for firewall in firewalls]

    async def create(
        self,
        *,
        name: str,
        rules: Sequence[FirewallRule] | None = None,
        apply_to: Sequence[FirewallResource] | None = None,
        labels: Mapping[str, str] | None = None,
    ) -> CreateFirewallResult:
        """Create a firewall, optionally with rules and applied to servers or a label selector."""
        check_firewall_name(name)
        if rules is not None:
            check_firewall_rules(rules)
        if apply_to is not None:
            _check_resources("apply_to", apply_to)
        if labels is not None:
            check_labels(labels)
        marked, _ = self._marked(labels)
        body = self._body(
            name=name,
            rules=None if rules is None else list(rules),
            apply_to=None if apply_to is None else list(apply_to),
            labels=marked,
        )
        return await self._create_named(
            body,
            read=lambda data: self._structure(data, CreateFirewallResult),
            adopted=lambda firewall, actions: CreateFirewallResult(
                firewall=firewall, actions=actions
            ),
        )

    async def update(
        self,
        firewall_id: int,
        *,
        name: str | None = None,
        labels: Mapping[str, str] | None = None,
    ) -> Firewall:
        """Rename a firewall or replace its labels."""
        if name is not None:
            check_firewall_name(name)
        if labels is not None:
            check_labels(labels)
        return await self._update(firewall_id, name=name, labels=labels)

    async def delete(self, firewall_id: int) -> None:
        """Delete a firewall not applied to anything; safe to repeat after a failure."""
        await self._delete(firewall_id)

    async def _actions(
        self, firewall_id: int, command: str, body: Mapping[str, object]
    ) -> builtins.list[Action]:
        path = self._item_path(firewall_id, "actions", command)
        return await self._post(
            path, body, lambda data: [self._structure(a, Action) for a in data.get("actions", [])]
        )

    async def set_rules(
        self, firewall_id: int, rules: Sequence[FirewallRule]
    ) -> builtins.list[Action]:
        """Replace all rules of a firewall (an empty list removes them all)."""
        check_firewall_rules(rules)
        return await self._actions(firewall_id, "set_rules", self._body(rules=list(rules)))

    async def apply_to_resources(
        self, firewall_id: int, resources: Sequence[FirewallResource]
    ) -> builtins.list[Action]:
        """Apply a firewall to more servers or label selectors (adds to the current set)."""
        _check_resources("apply_to", resources)
        body = self._body(apply_to=list(resources))
        return await self._actions(firewall_id, "apply_to_resources", body)

    async def remove_from_resources(
        self, firewall_id: int, resources: Sequence[FirewallResource]
    ) -> builtins.list[Action]:
        """Stop applying a firewall to these servers or label selectors."""
        _check_resources("remove_from", resources)
        body = self._body(remove_from=list(resources))
        return await self._actions(firewall_id, "remove_from_resources", body)
