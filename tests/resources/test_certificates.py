"""``hz.certificates`` beyond the wire table: the two types, adoption, and the private key."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from aioresponses import CallbackResult, aioresponses

from hetzner_async import HetznerClient
from hetzner_async.errors import HetznerError, ValidationError
from hetzner_async.models import CertificateIssuance, CertificateType

from .._spec import find_operation, response_example
from ..wire import sent
from .cases import page_of

URL = "http://127.0.0.1:9/v1/certificates"
KEY_MATERIAL = "MC4CAQAwBQYDK2VwBCIEIKEYMATERIALNEVERSHOWN"
PRIVATE_KEY = f"-----BEGIN PRIVATE KEY-----\n{KEY_MATERIAL}\n-----END PRIVATE KEY-----\n"
CERT = "-----BEGIN CERTIFICATE-----\nMIIBcertificate\n-----END CERTIFICATE-----\n"


def _managed_example() -> dict[str, Any]:
    """The spec's example answer to a managed create (``response_example`` gives the first)."""
    op = find_operation("POST", "/v1/certificates")
    examples = op.spec["responses"]["201"]["content"]["application/json"]["examples"]
    (managed,) = [e["value"] for e in examples.values() if e["value"]["action"] is not None]
    return dict(managed)


async def test_managed_create_sends_domain_names_and_returns_the_issuance(
    hz: HetznerClient, api: aioresponses
) -> None:
    api.post(URL, status=201, payload=_managed_example())
    result = await hz.certificates.create(name="web", domain_names=["example.com"])
    body = sent(api)[0][3]
    assert {k: v for k, v in body.items() if k != "labels"} == {
        "name": "web",
        "type": "managed",
        "domain_names": ["example.com"],
    }
    assert result.certificate.type is CertificateType.MANAGED
    assert result.certificate.status is not None
    assert result.certificate.status.issuance is CertificateIssuance.PENDING
    assert result.action is not None
    assert result.action.command == "create_certificate"


async def test_uploaded_create_has_no_action(hz: HetznerClient, api: aioresponses) -> None:
    api.post(URL, status=201, payload=response_example("POST", "/v1/certificates"))
    result = await hz.certificates.create(
        name="web", type=CertificateType.UPLOADED, certificate=CERT, private_key=PRIVATE_KEY
    )
    assert sent(api)[0][3]["type"] == "uploaded"
    assert result.action is None
    assert result.certificate.type is CertificateType.UPLOADED


@pytest.mark.parametrize("managed", [False, True], ids=["uploaded", "managed"])
async def test_create_adopts_what_an_ambiguous_try_created(
    hz: HetznerClient, api: aioresponses, managed: bool
) -> None:
    """A 5xx answer to the create: found by name with this call's marker, adopted, not re-sent."""
    example = _managed_example() if managed else response_example("POST", "/v1/certificates")
    api.post(URL, status=502, payload={"error": {"code": "bad_gateway", "message": "x"}})

    def listing(url: Any, **kwargs: Any) -> CallbackResult:
        _, _, _, body = sent(api)[0]
        found = {**example["certificate"], "name": "web", "labels": body["labels"]}
        return CallbackResult(status=200, payload=page_of("certificates", found))

    api.get(re.compile(rf"^{URL}\?name=web.*$"), callback=listing)
    actions = [example["action"]] if managed else []
    api.get(
        re.compile(rf"^{URL}/897/actions\?.*$"),
        payload={**page_of("actions", {}), "actions": actions},
    )
    if managed:
        result = await hz.certificates.create(name="web", domain_names=["example.com"])
        assert result.action is not None
        assert result.action.command == "create_certificate"
    else:
        result = await hz.certificates.create(name="web", certificate=CERT, private_key=PRIVATE_KEY)
        assert result.action is None
    assert result.certificate.id == 897
    assert [m for m, _, _, _ in sent(api)] == ["POST", "GET", "GET"]


async def test_the_private_key_is_never_shown(
    hz: HetznerClient, api: aioresponses, caplog: pytest.LogCaptureFixture
) -> None:
    """Not in errors the API answers, not in validation errors, not in the DEBUG log."""
    caplog.set_level(logging.DEBUG, logger="hetzner_async")
    api.post(
        URL,
        status=422,
        payload={
            "error": {
                "code": "invalid_input",
                "message": "invalid input in field 'private_key'",
                "details": {"fields": [{"name": "private_key", "messages": ["is invalid"]}]},
            }
        },
    )
    shown: list[str] = []
    with pytest.raises(HetznerError) as refused:
        await hz.certificates.create(name="web", certificate=CERT, private_key=PRIVATE_KEY)
    shown += [str(refused.value), repr(refused.value)]
    with pytest.raises(ValidationError) as invalid:
        await hz.certificates.create(name="web", certificate="MIIB", private_key=PRIVATE_KEY)
    shown += [str(invalid.value), repr(invalid.value)]
    with pytest.raises(ValidationError) as mixed:
        await hz.certificates.create(name="web", private_key=PRIVATE_KEY, domain_names=["a.com"])
    shown += [str(mixed.value), repr(mixed.value), caplog.text, repr(hz.certificates)]
    assert len(sent(api)) == 1
    assert caplog.records, "the DEBUG log was not captured, so it proves nothing"
    for text in shown:
        assert KEY_MATERIAL not in text


async def test_list_filters_by_type(hz: HetznerClient, api: aioresponses) -> None:
    api.get(re.compile(rf"^{URL}\?.*$"), payload=response_example("GET", "/v1/certificates"))
    found = await hz.certificates.list(type="managed", label_selector={"env": "prod"})
    assert sent(api)[0][2][:2] == [("label_selector", "env=prod"), ("type", "managed")]
    assert [certificate.id for certificate in found] == [897]
