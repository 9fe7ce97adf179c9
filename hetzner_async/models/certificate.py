"""TLS certificates: uploaded ones and managed (Let's Encrypt) ones, and how issuance goes.

A certificate read from the API carries its public chain only; the private key of an uploaded
certificate is sent once, on create, and never comes back.
"""

import enum
from datetime import datetime

import attrs

from .action import Action
from .common import OpenStrEnum

__all__ = [
    "Certificate",
    "CertificateIssuance",
    "CertificateRenewal",
    "CertificateStatus",
    "CertificateStatusError",
    "CertificateType",
    "CertificateUsedBy",
    "CreateCertificateResult",
]


class CertificateType(enum.StrEnum):
    """Whether the certificate was uploaded or is issued and renewed by the API."""

    UPLOADED = "uploaded"
    MANAGED = "managed"


class CertificateIssuance(OpenStrEnum):
    """Where the issuance of a managed certificate stands."""

    PENDING = "pending"
    COMPLETED = "completed"
    FAILED = "failed"


class CertificateRenewal(OpenStrEnum):
    """Where the renewal of a managed certificate stands."""

    SCHEDULED = "scheduled"
    PENDING = "pending"
    FAILED = "failed"
    UNAVAILABLE = "unavailable"


@attrs.frozen(kw_only=True)
class CertificateStatusError:
    """Why the issuance or renewal of a managed certificate failed."""

    code: str | None = None
    message: str | None = None


@attrs.frozen(kw_only=True)
class CertificateStatus:
    """Issuance and renewal state of a managed certificate."""

    issuance: CertificateIssuance | None = None
    renewal: CertificateRenewal | None = None
    error: CertificateStatusError | None = None


@attrs.frozen(kw_only=True)
class CertificateUsedBy:
    """A resource that uses the certificate (a load balancer)."""

    id: int
    type: str


@attrs.frozen(kw_only=True)
class Certificate:
    """A TLS certificate: its chain (PEM), domains and validity, and who uses it."""

    id: int
    name: str
    labels: dict[str, str]
    type: CertificateType | None = None
    #: The certificate and chain in PEM format; None until a managed one is issued.
    certificate: str | None
    created: datetime
    not_valid_before: datetime | None
    not_valid_after: datetime | None
    domain_names: list[str]
    #: The fingerprint of the certificate; None until a managed one is issued.
    fingerprint: str | None
    #: Issuance and renewal of managed certificates; None for uploaded ones.
    status: CertificateStatus | None = None
    used_by: list[CertificateUsedBy]


@attrs.frozen(kw_only=True)
class CreateCertificateResult:
    """A new certificate and, for a managed one, the action issuing it (None when uploaded)."""

    certificate: Certificate
    action: Action | None = None
