"""``hz.ssh_keys``: the SSH public keys of the project."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping

from .._validate import check_labels, check_not_empty
from ..models import SSHKey
from ._base import LabelSelector, Sort, query
from ._collection import Collection

__all__ = ["SSHKeys"]


class SSHKeys(Collection[SSHKey]):
    """SSH keys of the project (https://docs.hetzner.cloud/reference/cloud#ssh-keys)."""

    path = "/ssh_keys"
    item_key = "ssh_key"
    page_key = "ssh_keys"
    model = SSHKey

    def iter(
        self,
        *,
        name: str | None = None,
        fingerprint: str | None = None,
        label_selector: LabelSelector | None = None,
        sort: Sort | None = None,
    ) -> AsyncIterator[SSHKey]:
        """Iterate over every matching SSH key, fetching pages of 50 as needed."""
        return self._iter(
            query(name=name, fingerprint=fingerprint, label_selector=label_selector, sort=sort)
        )

    async def list(
        self,
        *,
        name: str | None = None,
        fingerprint: str | None = None,
        label_selector: LabelSelector | None = None,
        sort: Sort | None = None,
    ) -> list[SSHKey]:
        """Return every matching SSH key (all pages)."""
        keys = self.iter(
            name=name, fingerprint=fingerprint, label_selector=label_selector, sort=sort
        )
        return [key async for key in keys]

    async def create(
        self, *, name: str, public_key: str, labels: Mapping[str, str] | None = None
    ) -> SSHKey:
        """Upload a public key; names and fingerprints are unique in the project."""
        check_not_empty("name", name)
        check_not_empty("public_key", public_key)
        if labels is not None:
            check_labels(labels)
        marked, _ = self._marked(labels)
        body = self._body(name=name, public_key=public_key.strip(), labels=marked)
        return await self._create_named(body, read=self._item, adopted=lambda key, _: key)

    async def update(
        self, ssh_key_id: int, *, name: str | None = None, labels: Mapping[str, str] | None = None
    ) -> SSHKey:
        """Rename an SSH key or replace its labels."""
        if name is not None:
            check_not_empty("name", name)
        if labels is not None:
            check_labels(labels)
        return await self._update(ssh_key_id, name=name, labels=labels)

    async def delete(self, ssh_key_id: int) -> None:
        """Delete an SSH key (servers that have it keep it); safe to repeat after a failure."""
        await self._delete(ssh_key_id)
