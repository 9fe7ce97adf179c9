"""Pure parts of a server create: the ``public_net`` object and the references' checks."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

from .._validate import check_id
from ..errors import ValidationError

__all__ = ["check_create_refs", "create_public_net"]


def create_public_net(
    enable_ipv4: bool | None, enable_ipv6: bool | None, ipv4: int | None, ipv6: int | None
) -> dict[str, Any] | None:
    """Return the ``public_net`` of a create (None when nothing is set).

    ``ipv4``/``ipv6`` are primary IP IDs; giving one while disabling that version is a
    contradiction the API would answer with an error, so it is refused here.
    """
    for version, enabled, primary_ip in (("ipv4", enable_ipv4, ipv4), ("ipv6", enable_ipv6, ipv6)):
        if primary_ip is None:
            continue
        check_id(version, primary_ip)
        if enabled is False:
            raise ValidationError(version, f"a primary IP was given, but enable_{version} is False")
    fields = {
        "enable_ipv4": enable_ipv4,
        "enable_ipv6": enable_ipv6,
        "ipv4": ipv4,
        "ipv6": ipv6,
    }
    public_net = {key: value for key, value in fields.items() if value is not None}
    return public_net or None


def check_create_refs(
    location: str | int | None,
    datacenter: str | int | None,
    networks: Sequence[int] | None,
    volumes: Sequence[int] | None,
    placement_group: int | None,
) -> None:
    """Require at most one of location and datacenter, and positive IDs for the rest.

    ``datacenter`` passes with a ``DeprecationWarning``: the API documents it until 1 July 2026.
    """
    if location is not None and datacenter is not None:
        raise ValidationError("datacenter", "is the deprecated form of location: give one")
    if datacenter is not None:
        warnings.warn(
            "servers.create(datacenter=...) is deprecated by the API (removed after 1 July 2026); "
            "use location=...",
            DeprecationWarning,
            stacklevel=3,
        )
    for field, ids in (("networks", networks), ("volumes", volumes)):
        for resource_id in ids or ():
            check_id(field, resource_id)
    if placement_group is not None:
        check_id("placement_group", placement_group)
