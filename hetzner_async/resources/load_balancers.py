"""``hz.load_balancers``: load balancers, their services and targets, networks and metrics."""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import AsyncIterator, Mapping, Sequence

from .._validate import check_id, check_labels
from .._validate_lb import (
    check_load_balancer_name,
    check_services,
    check_target,
    create_public_net,
)
from ..errors import HetznerError, NotFoundError, ValidationError
from ..models import (
    Action,
    CreateLoadBalancerResult,
    LoadBalancer,
    LoadBalancerService,
    LoadBalancerTarget,
    Metrics,
)
from ._base import LabelSelector, Sort, done_locally, query
from ._load_balancer_actions import LoadBalancerActions

__all__ = ["LoadBalancers"]


def _adopted(
    load_balancer: LoadBalancer, actions: builtins.list[Action]
) -> CreateLoadBalancerResult:
    """Rebuild the create result of a load balancer found after an ambiguous create."""
    create = next((a for a in actions if a.command == "create_load_balancer"), None)
    if create is None:
        raise HetznerError(
            f"load balancer {load_balancer.id} was created, but its create action is gone"
        )
    return CreateLoadBalancerResult(load_balancer=load_balancer, action=create)


def _timestamp(field: str, value: dt.datetime) -> str:
    """Format an aware datetime as RFC 3339 in UTC with a ``Z`` (no ``+`` to escape)."""
    if not isinstance(value, dt.datetime) or value.tzinfo is None:
        raise ValidationError(field, "must be a timezone-aware datetime")
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


class LoadBalancers(LoadBalancerActions):
    """Load Balancers of the project (https://docs.hetzner.cloud/reference/cloud#load-balancers)."""

    path = "/load_balancers"
    item_key = "load_balancer"
    page_key = "load_balancers"
    model = LoadBalancer

    def iter(
        self,
        *,
        name: str | None = None,
        label_selector: LabelSelector | None = None,
        sort: Sort | None = None,
    ) -> AsyncIterator[LoadBalancer]:
        """Iterate over every matching load balancer, fetching pages of 50 as needed."""
        return self._iter(query(name=name, label_selector=label_selector, sort=sort))

    async def list(
        self,
        *,
        name: str | None = None,
        label_selector: LabelSelector | None = None,
        sort: Sort | None = None,
    ) -> list[LoadBalancer]:
        """Return every matching load balancer (all pages)."""
        found = self.iter(name=name, label_selector=label_selector, sort=sort)
        return [load_balancer async for load_balancer in found]

    async def create(
        self,
        *,
        name: str,
        load_balancer_type: str | int,
        location: str | int | None = None,
        network_zone: str | None = None,
        algorithm: str | None = None,
        services: Sequence[LoadBalancerService] | None = None,
        targets: Sequence[LoadBalancerTarget] | None = None,
        network: int | None = None,
        public_interface: bool | None = None,
        labels: Mapping[str, str] | None = None,
        ipv4: int | None = None,
        ipv6: int | None = None,
    ) -> CreateLoadBalancerResult:
        """Create a load balancer in a location or a network zone; wait on ``result.action``.

        ``algorithm`` is ``"round_robin"`` (the API's default) or ``"least_connections"``;
        ``network`` attaches it to a private network at once. ``ipv4``/``ipv6`` are IDs of
        unassigned Primary IPs in its location to use (else the API allocates addresses); they
        stay the load balancer's until it is deleted
        (https://docs.hetzner.cloud/changelog#2026-10-05-load-balancers-can-use-existing-primary-ips).
        """
        check_load_balancer_name(name)
        if location is not None and network_zone is not None:
            raise ValidationError("location", "give location or network_zone, not both")
        if services is not None:
            check_services("services", services)
        for index, target in enumerate(targets or ()):
            check_target(f"targets[{index}]", target)
        if network is not None:
            check_id("network", network)
        if labels is not None:
            check_labels(labels)
        public_net = create_public_net(ipv4, ipv6)
        marked, _ = self._marked(labels)
        body = self._body(
            name=name,
            load_balancer_type=str(load_balancer_type),
            location=None if location is None else str(location),
            network_zone=network_zone,
            algorithm=None if algorithm is None else {"type": algorithm},
            services=None if services is None else list(services),
            targets=None
            if targets is None
            else [self._target_body(target, adding=True) for target in targets],
            network=network,
            public_interface=public_interface,
            public_net=public_net,
            labels=marked,
        )
        return await self._create_named(
            body,
            read=lambda data: self._structure(data, CreateLoadBalancerResult),
            adopted=_adopted,
        )

    async def update(
        self,
        load_balancer_id: int,
        *,
        name: str | None = None,
        labels: Mapping[str, str] | None = None,
    ) -> LoadBalancer:
        """Rename a load balancer or replace its labels."""
        if name is not None:
            check_load_balancer_name(name)
        if labels is not None:
            check_labels(labels)
        return await self._update(load_balancer_id, name=name, labels=labels)

    async def delete(self, load_balancer_id: int) -> Action:
        """Delete a load balancer; the returned action ends when it is gone.

        The API tracks the delete with an action since 2026-10-05
        (https://docs.hetzner.cloud/changelog#2026-10-05-load-balancers-can-use-existing-primary-ips);
        an answer without one (``204``, as before) gives a local stand-in with id 0, already
        successful. Safe to repeat after a failure: a load balancer already gone counts as
        deleted (the same stand-in).
        """
        path = self._item_path(load_balancer_id)
        try:
            data = await self._call("DELETE", path)
        except NotFoundError as error:
            if not error.after_ambiguous:
                raise
            data = {}
        if data.get("action") is None:
            return done_locally("delete_load_balancer", "load_balancer", load_balancer_id)
        return self._read_action(data)

    async def metrics(
        self,
        load_balancer_id: int,
        *,
        type: str | Sequence[str],
        start: dt.datetime,
        end: dt.datetime,
        step: float | None = None,
    ) -> Metrics:
        """Return time series of the last 30 days at most, one per metric asked for.

        ``type``: ``open_connections``, ``connections_per_second``, ``requests_per_second``,
        ``bandwidth`` (one or several). Without ``step`` the API picks one for about 200
        samples; it returns at most 500.
        """
        types = [type] if isinstance(type, str) else list(type)
        if not types or not all(isinstance(name, str) and name for name in types):
            raise ValidationError("type", "name at least one metric, e.g. 'requests_per_second'")
        since, until = _timestamp("start", start), _timestamp("end", end)
        if end <= start:
            raise ValidationError("end", "must be later than start")
        if step is not None and (isinstance(step, bool) or step <= 0):
            raise ValidationError("step", "must be a positive number of seconds")
        params = query(
            # The API takes several metric types comma-separated in one parameter.
            type=",".join(types),
            start=since,
            end=until,
            step=None if step is None else f"{step:g}",
        )
        data = await self._call("GET", self._item_path(load_balancer_id, "metrics"), params=params)
        return self._structure(data["metrics"], Metrics)
