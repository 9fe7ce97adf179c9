"""``hz.certificates``: uploaded and managed (Let's Encrypt) TLS certificates."""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Mapping, Sequence

from .._validate import check_labels, check_not_empty
from .._validate_cert import check_certificate_fields
from ..models import Action, Certificate, CertificateType, CreateCertificateResult
from ._base import LabelSelector, Sort, query
from ._collection import ActionListings

__all__ = ["Certificates"]

#: A certificate type to filter by, or several.
TypeFilter = CertificateType | str | Sequence[CertificateType | str]


def _adopted(certificate: Certificate, actions: builtins.list[Action]) -> CreateCertificateResult:
    """Rebuild the create result of a certificate found after an ambiguous create.

    An uploaded certificate has no create action; a managed one has the action issuing it.
    """
    create = next((a for a in actions if a.command == "create_certificate"), None)
    return CreateCertificateResult(certificate=certificate, action=create)


class Certificates(ActionListings[Certificate]):
    """TLS certificates of the project (https://docs.hetzner.cloud/reference/cloud#certificates)."""

    path = "/certificates"
    item_key = "certificate"
    page_key = "certificates"
    model = Certificate

    def iter(
        self,
        *,
        name: str | None = None,
        label_selector: LabelSelector | None = None,
        type: TypeFilter | None = None,
        sort: Sort | None = None,
    ) -> AsyncIterator[Certificate]:
        """Iterate over every matching certificate, fetching pages of 50 as needed."""
        return self._iter(query(name=name, label_selector=label_selector, type=type, sort=sort))

    async def list(
        self,
        *,
        name: str | None = None,
        label_selector: LabelSelector | None = None,
        type: TypeFilter | None = None,
        sort: Sort | None = None,
    ) -> list[Certificate]:
        """Return every matching certificate (all pages)."""
        found = self.iter(name=name, label_selector=label_selector, type=type, sort=sort)
        return [certificate async for certificate in found]

    async def create(
        self,
        *,
        name: str,
        type: CertificateType | str | None = None,
        certificate: str | None = None,
        private_key: str | None = None,
        domain_names: Sequence[str] | None = None,
        labels: Mapping[str, str] | None = None,
    ) -> CreateCertificateResult:
        """Upload a certificate with its private key (PEM), or request a managed one.

        Without ``type``, giving ``domain_names`` means ``managed``, else ``uploaded``. A
        managed certificate is issued by Let's Encrypt for domains whose DNS Hetzner serves:
        wait on ``result.action`` (None for an uploaded certificate). The private key is sent
        once and never logged, echoed in errors, or returned.
        """
        check_not_empty("name", name)
        kind = str(type or ("managed" if domain_names is not None else "uploaded"))
        check_certificate_fields(
            kind, certificate=certificate, private_key=private_key, domain_names=domain_names
        )
        if labels is not None:
            check_labels(labels)
        marked, _ = self._marked(labels)
        body = self._body(
            name=name,
            type=kind,
            certificate=certificate,
            private_key=private_key,
            domain_names=None if domain_names is None else list(domain_names),
            labels=marked,
        )
        return await self._create_named(
            body,
            read=lambda data: self._structure(data, CreateCertificateResult),
            adopted=_adopted,
        )

    async def update(
        self,
        certificate_id: int,
        *,
        name: str | None = None,
        labels: Mapping[str, str] | None = None,
    ) -> Certificate:
        """Rename a certificate or replace its labels."""
        if name is not None:
            check_not_empty("name", name)
        if labels is not None:
            check_labels(labels)
        return await self._update(certificate_id, name=name, labels=labels)

    async def delete(self, certificate_id: int) -> None:
        """Delete a certificate; safe to repeat after a failure."""
        await self._delete(certificate_id)

    async def retry(self, certificate_id: int) -> Action:
        """Retry the failed issuance or renewal of a managed certificate."""
        return await self._run(certificate_id, "retry")
