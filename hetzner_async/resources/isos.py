"""``hz.isos``: the ISO images a server's virtual drive can load."""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator

from ..errors import ValidationError
from ..models import ISO
from ._base import query
from ._collection import Collection

__all__ = ["ISOs"]


class ISOs(Collection[ISO]):
    """ISOs (https://docs.hetzner.cloud/reference/cloud#isos).

    A server loads one with ``hz.servers.attach_iso``.
    """

    path = "/isos"
    item_key = "iso"
    page_key = "isos"
    model = ISO

    def iter(
        self,
        *,
        name: str | None = None,
        architecture: str | None = None,
        include_architecture_wildcard: bool | None = None,
    ) -> AsyncIterator[ISO]:
        """Iterate over every matching ISO, page by page.

        ``architecture`` keeps the ISOs for ``x86`` or ``arm``; with
        ``include_architecture_wildcard=True`` also those that fit any architecture.
        """
        if architecture is not None and architecture not in ("x86", "arm"):
            raise ValidationError("architecture", f"must be 'x86' or 'arm', not {architecture!r}")
        return self._iter(
            query(
                name=name,
                architecture=architecture,
                include_architecture_wildcard=include_architecture_wildcard,
            )
        )

    async def list(
        self,
        *,
        name: str | None = None,
        architecture: str | None = None,
        include_architecture_wildcard: bool | None = None,
    ) -> builtins.list[ISO]:
        """Return every matching ISO (all pages)."""
        isos = self.iter(
            name=name,
            architecture=architecture,
            include_architecture_wildcard=include_architecture_wildcard,
        )
        return [iso async for iso in isos]
