"""Wire cases of ``hz.certificates``."""

from __future__ import annotations

from hetzner_async.models import CertificateType

from ..._spec import request_example, response_example
from ._core import PAGE, WireCase, action_listing_cases, page_of

CERTS = "/v1/certificates"
CERTIFICATE = response_example("GET", f"{CERTS}/897")
UPLOADED = request_example("POST", CERTS)  # the spec's first example uploads a certificate

CASES = [
    WireCase(
        "certificates.list",
        (),
        {
            "name": "web",
            "label_selector": "env=prod",
            "type": [CertificateType.MANAGED, "uploaded"],
            "sort": "created:desc",
        },
        "GET",
        CERTS,
        [
            ("name", "web"),
            ("label_selector", "env=prod"),
            ("type", "managed"),
            ("type", "uploaded"),
            ("sort", "created:desc"),
            *PAGE,
        ],
        None,
        200,
        page_of("certificates", CERTIFICATE["certificate"]),
    ),
    WireCase(
        "certificates.iter",
        (),
        {"type": CertificateType.UPLOADED},
        "GET",
        CERTS,
        [("type", "uploaded"), *PAGE],
        None,
        200,
        response_example("GET", CERTS),
    ),
    WireCase("certificates.get", (897,), {}, "GET", f"{CERTS}/897", [], None, 200, CERTIFICATE),
    WireCase(
        "certificates.get_by_name",
        ("my website cert",),
        {},
        "GET",
        CERTS,
        [("name", "my website cert"), *PAGE],
        None,
        200,
        page_of("certificates", CERTIFICATE["certificate"]),
    ),
    WireCase(
        "certificates.create",
        (),
        {
            "name": UPLOADED["name"],
            "certificate": UPLOADED["certificate"],
            "private_key": UPLOADED["private_key"],
            "labels": {"env": "prod"},
        },
        "POST",
        CERTS,
        [],
        {**UPLOADED, "labels": {"env": "prod"}},
        201,
        response_example("POST", CERTS),
    ),
    WireCase(
        "certificates.update",
        (897,),
        {"name": "cert-2", "labels": {"a": "b"}},
        "PUT",
        f"{CERTS}/897",
        [],
        {"name": "cert-2", "labels": {"a": "b"}},
        200,
        response_example("PUT", f"{CERTS}/897"),
    ),
    WireCase("certificates.delete", (897,), {}, "DELETE", f"{CERTS}/897", [], None, 204, None),
    WireCase(
        "certificates.retry",
        (897,),
        {},
        "POST",
        f"{CERTS}/897/actions/retry",
        [],
        None,
        201,
        response_example("POST", f"{CERTS}/897/actions/retry"),
    ),
    *action_listing_cases("certificates", "certificates", 897),
]
