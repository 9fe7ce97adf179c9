"""Response shapes of ``/certificates``."""

from __future__ import annotations

from hetzner_async.models import Certificate, CreateCertificateResult

from ._core import ACTION, Shape, action_listings, page

CERTIFICATE = {"certificate": Certificate}

OPERATIONS: dict[tuple[str, str], Shape] = {
    ("get", "/certificates"): page("certificates", Certificate),
    ("post", "/certificates"): CreateCertificateResult,
    ("get", "/certificates/{id}"): CERTIFICATE,
    ("put", "/certificates/{id}"): CERTIFICATE,
    ("post", "/certificates/{id}/actions/retry"): ACTION,
    **action_listings("/certificates"),
}
NO_CONTENT = [("delete", "/certificates/{id}")]
