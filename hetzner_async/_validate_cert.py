"""Pure input checks for certificates: which fields each type needs, and domain names.

Rules from https://docs.hetzner.cloud/reference/cloud#certificates-create-a-certificate. A
certificate's PEM text and its private key are never quoted in a message.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ._validate import check_not_empty
from .errors import ValidationError

__all__ = ["check_certificate_fields", "check_domain_names"]

_PEM_BEGIN = "-----BEGIN "
# A host name, optionally with one leading wildcard label (*.example.com).
_DOMAIN = re.compile(
    r"^(\*\.)?([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$"
)
MAX_DOMAIN = 253


def check_domain_names(domain_names: Sequence[str]) -> Sequence[str]:
    """Require at least one domain, each a host name (a leading ``*.`` wildcard is allowed)."""
    if isinstance(domain_names, str) or not domain_names:
        raise ValidationError("domain_names", "must be a non-empty list of domain names")
    for domain in domain_names:
        if not isinstance(domain, str) or len(domain) > MAX_DOMAIN or not _DOMAIN.match(domain):
            raise ValidationError("domain_names", f"{domain!r} is not a domain name")
    return domain_names


def _check_pem(field: str, value: str) -> None:
    check_not_empty(field, value)
    if _PEM_BEGIN not in value:
        raise ValidationError(field, "must be in PEM format ('-----BEGIN ...')")


def check_certificate_fields(
    type: str,
    *,
    certificate: str | None,
    private_key: str | None,
    domain_names: Sequence[str] | None,
) -> None:
    """Require the fields of an ``uploaded`` or a ``managed`` certificate, and only those."""
    if type == "uploaded":
        if domain_names is not None:
            raise ValidationError("domain_names", "only a managed certificate takes domain names")
        if certificate is None or private_key is None:
            raise ValidationError(
                "certificate" if certificate is None else "private_key",
                "an uploaded certificate needs both certificate and private_key (PEM)",
            )
        _check_pem("certificate", certificate)
        _check_pem("private_key", private_key)
    elif type == "managed":
        for field, value in (("certificate", certificate), ("private_key", private_key)):
            if value is not None:
                raise ValidationError(field, "a managed certificate is issued by the API")
        if domain_names is None:
            raise ValidationError("domain_names", "a managed certificate needs domain names")
        check_domain_names(domain_names)
    else:
        raise ValidationError("type", f"must be 'uploaded' or 'managed', not {type!r}")
