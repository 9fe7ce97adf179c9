"""hcloud-python (the official Python client) against the fake: uploaded and managed certificates.

The client is sync; it waits on actions with its own poller (``wait_until_finished``).
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest
from hcloud import APIException, Client
from hcloud.actions import ActionFailedException

from .. import sample_certificate as sample
from .pyclient import api_code
from .standalone import StandaloneFake

pytestmark = pytest.mark.interop


def script_failure(fake: StandaloneFake, **fields: Any) -> None:
    """``POST /_fake/action_failures``: the next matching action ends in error."""
    request = urllib.request.Request(
        f"{fake.base_url}/_fake/action_failures",
        method="POST",
        data=json.dumps(fields).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 201


def test_uploaded_certificate_cycle(hcloud_client: Client) -> None:
    certificates = hcloud_client.certificates
    created = certificates.create(
        "web", certificate=sample.CERTIFICATE, private_key=sample.PRIVATE_KEY, labels={"a": "b"}
    )
    assert created.type == "uploaded"
    assert created.domain_names == sample.DOMAIN_NAMES
    assert created.fingerprint == sample.FINGERPRINT
    assert created.not_valid_after is not None
    assert created.not_valid_after.year == 2036
    assert created.status is None

    fetched = certificates.get_by_id(created.id)
    assert fetched.certificate == sample.CERTIFICATE
    by_name = certificates.get_by_name("web")
    assert by_name is not None
    assert by_name.id == created.id
    assert [c.id for c in certificates.get_all(label_selector="a=b")] == [created.id]

    updated = fetched.update(name="web-2", labels={"a": "c"})
    assert (updated.name, updated.labels) == ("web-2", {"a": "c"})
    with pytest.raises(APIException) as taken:
        certificates.create("web-2", certificate=sample.CERTIFICATE, private_key=sample.PRIVATE_KEY)
    assert api_code(taken) == "uniqueness_error"
    with pytest.raises(APIException) as invalid:
        certificates.create("bad", certificate="not a pem", private_key=sample.PRIVATE_KEY)
    assert api_code(invalid) == "invalid_input"
    assert updated.get_actions() == []
    assert updated.delete() is True
    with pytest.raises(APIException) as gone:
        certificates.get_by_id(created.id)
    assert api_code(gone) == "not_found"


def test_managed_certificate_cycle(hcloud_client: Client) -> None:
    response = hcloud_client.certificates.create_managed(
        "le", domain_names=["example.com", "www.example.com"]
    )
    assert response.certificate.status is not None
    assert response.certificate.status.issuance == "pending"
    response.action.wait_until_finished()
    assert response.action.command == "create_certificate"
    cert = hcloud_client.certificates.get_by_id(response.certificate.id)
    assert cert.status is not None
    assert (cert.status.issuance, cert.status.renewal) == ("completed", "scheduled")
    assert cert.certificate is not None
    assert cert.certificate.startswith("-----BEGIN CERTIFICATE-----")
    assert [a.command for a in cert.get_actions()] == ["create_certificate"]
    with pytest.raises(APIException) as not_failed:
        cert.retry_issuance()
    assert api_code(not_failed) == "unsupported_error"
    cert.delete()


def test_failed_issuance_is_retried(hcloud_client: Client, fake: StandaloneFake) -> None:
    script_failure(fake, command="create_certificate", code="ca_too_many_duplicate_certificates")
    response = hcloud_client.certificates.create_managed("le", domain_names=["example.com"])
    with pytest.raises(ActionFailedException):
        response.action.wait_until_finished()
    cert = hcloud_client.certificates.get_by_id(response.certificate.id)
    assert cert.status is not None
    assert cert.status.issuance == "failed"
    assert cert.status.error is not None
    assert cert.status.error.code == "ca_too_many_duplicate_certificates"
    action = cert.retry_issuance()
    assert action.command == "issue_certificate"
    action.wait_until_finished()
    cert = hcloud_client.certificates.get_by_id(cert.id)
    assert cert.status is not None
    assert cert.status.issuance == "completed"
    assert [a.command for a in hcloud_client.certificates.actions.get_all(sort=["id"])] == [
        "create_certificate",
        "issue_certificate",
    ]
