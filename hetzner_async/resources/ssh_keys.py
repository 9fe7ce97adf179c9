"""``hz.ssh_keys``: the SSH public keys of the project."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping

from .._validate import check_id, check_labels, check_not_empty
from ..errors import NotFoundError
from ..models import SSHKey
from ._base import CREATE_MARKER, LabelSelector, ResourceGroup, Sort, query

__all__ = ["SSHKeys"]


class SSHKeys(ResourceGroup):
    """SSH keys of the project (https://docs.hetzner.cloud/reference/cloud#ssh-keys)."""

    def iter(
        self,
        *,
        name: str | None = None,
        fingerprint: str | None = None,
        label_selector: LabelSelector | None = None,
        sort: Sort | None = None,
    ) -> AsyncIterator[SSHKey]:
        """Iterate over every matching SSH key, fetching pages of 50 as needed."""
        params = query(name=name, fingerprint=fingerprint, label_selector=label_selector, sort=sort)
        return self._pages("/ssh_keys", "ssh_keys", SSHKey, params)

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

    async def get(self, ssh_key_id: int) -> SSHKey:
        """Return the SSH key with this ID; raise ``NotFoundError`` if there is none."""
        data = await self._call("GET", f"/ssh_keys/{check_id('ssh_key_id', ssh_key_id)}")
        return self._structure(data["ssh_key"], SSHKey)

    async def get_by_name(self, name: str) -> SSHKey | None:
        """Return the SSH key with this exact name, or None."""
        async for key in self.iter(name=name):
            return key
        return None

    async def create(
        self, *, name: str, public_key: str, labels: Mapping[str, str] | None = None
    ) -> SSHKey:
        """Upload a public key; names and fingerprints are unique in the project."""
        check_not_empty("name", name)
        check_not_empty("public_key", public_key)
        if labels is not None:
            check_labels(labels)
        marked, marker = self._marked(labels)
        body = self._body(name=name, public_key=public_key.strip(), labels=marked)
        return await self._create_exactly_once(
            "/ssh_keys",
            body,
            read=lambda data: self._structure(data["ssh_key"], SSHKey),
            adopt=lambda: self._adopt(name, marker),
        )

    async def _adopt(self, name: str, marker: str) -> SSHKey | None:
        """Return the key this call created, found by name and marker."""
        key = await self.get_by_name(name)
        return key if key is not None and key.labels.get(CREATE_MARKER) == marker else None

    async def update(
        self, ssh_key_id: int, *, name: str | None = None, labels: Mapping[str, str] | None = None
    ) -> SSHKey:
        """Rename an SSH key or replace its labels."""
        if name is not None:
            check_not_empty("name", name)
        if labels is not None:
            check_labels(labels)
        data = await self._call(
            "PUT",
            f"/ssh_keys/{check_id('ssh_key_id', ssh_key_id)}",
            body=self._body(name=name, labels=labels),
        )
        return self._structure(data["ssh_key"], SSHKey)

    async def delete(self, ssh_key_id: int) -> None:
        """Delete an SSH key (servers that have it keep it); safe to repeat after a failure."""
        try:
            await self._call("DELETE", f"/ssh_keys/{check_id('ssh_key_id', ssh_key_id)}")
        except NotFoundError as error:
            if not error.after_ambiguous:
                raise
