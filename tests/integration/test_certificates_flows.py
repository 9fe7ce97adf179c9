"""``hz.certificates`` against the fake: uploads, managed issuance, failures, retry, errors."""

from __future__ import annotations

import pytest

from hetzner_async import HetznerClient
from hetzner_async.errors import (
    ActionFailedError,
    LockedError,
    NotFoundError,
    ServiceError,
    UniquenessError,
    UnsupportedError,
)
from hetzner_async.models import CertificateIssuance, CertificateRenewal, CertificateType
from hetzner_async.resources._base import CREATE_MARKER
from hetzner_async.testing import FakeHetznerCloud
from hetzner_async.testing.resources.certificates import CertificateUsers

from .. import sample_certificate as sample


async def test_upload_read_update_list_delete(hz: HetznerClient, fake: FakeHetznerCloud) -> None:
    created = await hz.certificates.create(
        name="web",
        certificate=sample.CERTIFICATE,
        private_key=sample.PRIVATE_KEY,
        labels={"env": "prod"},
    )
    assert created.action is None
    cert = created.certificate
    assert cert.type is CertificateType.UPLOADED
    assert cert.domain_names == sample.DOMAIN_NAMES
    assert cert.fingerprint == sample.FINGERPRINT
    assert cert.not_valid_after is not None
    assert cert.not_valid_after.year == 2036
    assert cert.status is None
    assert cert.labels["env"] == "prod"
    assert "PRIVATE KEY" not in repr(fake.state.certificates)

    renamed = await hz.certificates.update(cert.id, name="web-2", labels={"env": "dev"})
    assert (renamed.name, renamed.labels) == ("web-2", {"env": "dev"})
    found = await hz.certificates.get_by_name("web-2")
    assert found is not None
    assert found.id == cert.id
    assert [c.id for c in await hz.certificates.list(type="uploaded")] == [cert.id]
    assert await hz.certificates.list(type=["managed"]) == []
    assert await hz.certificates.list_actions(cert.id) == []
    with pytest.raises(UniquenessError):
        await hz.certificates.create(
            name="web-2", certificate=sample.CERTIFICATE, private_key=sample.PRIVATE_KEY
        )
    await hz.certificates.delete(cert.id)
    with pytest.raises(NotFoundError):
        await hz.certificates.get(cert.id)


async def test_managed_issuance_and_action_listings(hz: HetznerClient) -> None:
    created = await hz.certificates.create(
        name="le", domain_names=["example.com", "www.example.com"]
    )
    assert created.certificate.type is CertificateType.MANAGED
    assert created.certificate.status is not None
    assert created.certificate.status.issuance is CertificateIssuance.PENDING
    assert created.action is not None
    assert created.action.command == "create_certificate"
    with pytest.raises(LockedError):
        await hz.certificates.delete(created.certificate.id)
    (done,) = await hz.actions.wait(created.action)
    cert = await hz.certificates.get(created.certificate.id)
    assert cert.status is not None
    assert (cert.status.issuance, cert.status.renewal) == (
        CertificateIssuance.COMPLETED,
        CertificateRenewal.SCHEDULED,
    )
    assert cert.certificate is not None
    assert cert.certificate.startswith("-----BEGIN CERTIFICATE")
    assert cert.fingerprint is not None
    assert cert.fingerprint.count(":") == 31
    assert [a.id for a in await hz.certificates.list_actions(cert.id)] == [done.id]
    assert [a.id for a in await hz.certificates.list_actions(status="success")] == [done.id]
    assert (await hz.certificates.get_action(done.id)).command == "create_certificate"
    with pytest.raises(UnsupportedError):
        await hz.certificates.retry(cert.id)


async def test_failed_issuance_then_retry(hz: HetznerClient, fake: FakeHetznerCloud) -> None:
    fake.fail_next_action(
        "create_certificate", code="ca_dns_validation_failed", message="DNS validation failed"
    )
    created = await hz.certificates.create(name="le", domain_names=["example.com"])
    assert created.action is not None
    with pytest.raises(ActionFailedError) as failed:
        await hz.actions.wait(created.action)
    assert failed.value.code == "ca_dns_validation_failed"
    cert = await hz.certificates.get(created.certificate.id)
    assert cert.status is not None
    assert cert.status.error is not None
    assert cert.status.issuance is CertificateIssuance.FAILED
    assert cert.status.error.code == "ca_dns_validation_failed"

    retried = await hz.certificates.retry(cert.id)
    assert retried.command == "issue_certificate"
    await hz.actions.wait(retried)
    cert = await hz.certificates.get(cert.id)
    assert cert.status is not None
    assert cert.status.issuance is CertificateIssuance.COMPLETED
    assert cert.status.error is None


async def test_a_certificate_in_use_is_not_deleted(
    hz: HetznerClient, fake: FakeHetznerCloud
) -> None:
    cert = (
        await hz.certificates.create(
            name="web", certificate=sample.CERTIFICATE, private_key=sample.PRIVATE_KEY
        )
    ).certificate
    fake.state.part(CertificateUsers).use(cert.id, "load_balancer", 10_000_001)
    used = await hz.certificates.get(cert.id)
    assert [(u.id, u.type) for u in used.used_by] == [(10_000_001, "load_balancer")]
    with pytest.raises(ServiceError):
        await hz.certificates.delete(cert.id)
    fake.state.part(CertificateUsers).release_all("load_balancer", 10_000_001)
    await hz.certificates.delete(cert.id)


async def test_create_is_not_repeated_after_a_lost_answer(
    hz: HetznerClient, fake: FakeHetznerCloud
) -> None:
    """The create's answer is lost once: the SDK finds the certificate instead of a second."""
    fake.add_fault(kind="drop_after", method="POST", path="/certificates")
    created = await hz.certificates.create(name="le", domain_names=["example.com"])
    assert len(fake.state.certificates) == 1
    assert created.action is not None
    assert created.action.command == "create_certificate"
    assert CREATE_MARKER in created.certificate.labels
