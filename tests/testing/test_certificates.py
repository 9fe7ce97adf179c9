"""Certificates: uploaded (read from PEM, key never kept), managed (issuance), retry, used_by."""

import base64
import datetime as dt
import hashlib
import json
from typing import Any

import pytest

from hetzner_async.testing import FakeHetznerCloud, ManualClock
from hetzner_async.testing.resources.certificate_pem import read_certificate
from hetzner_async.testing.resources.certificates import CertificateUsers
from tests import sample_certificate as sample

from .conftest import Api
from .test_admin import admin

UPLOADED = {"name": "web", "certificate": sample.CERTIFICATE, "private_key": sample.PRIVATE_KEY}


async def managed(api: Api, *domains: str, name: str = "le") -> dict[str, Any]:
    reply = await api.post(
        "/certificates", {"name": name, "type": "managed", "domain_names": domains}
    )
    assert reply.status == 201, reply.body
    body: dict[str, Any] = reply.body
    return body


async def certificate(api: Api, cid: int) -> dict[str, Any]:
    reply = await api.get(f"/certificates/{cid}")
    assert reply.status == 200
    found: dict[str, Any] = reply.body["certificate"]
    return found


async def test_uploaded_is_read_from_its_pem(api: Api, fake: FakeHetznerCloud) -> None:
    reply = await api.post("/certificates", {**UPLOADED, "labels": {"env": "prod"}})
    assert reply.status == 201
    assert reply.body["action"] is None
    cert = reply.body["certificate"]
    assert cert["type"] == "uploaded"
    assert cert["certificate"] == sample.CERTIFICATE
    assert cert["domain_names"] == sample.DOMAIN_NAMES
    assert cert["not_valid_before"] == sample.NOT_VALID_BEFORE
    assert cert["not_valid_after"] == sample.NOT_VALID_AFTER
    assert cert["fingerprint"] == sample.FINGERPRINT
    assert (cert["status"], cert["used_by"], cert["labels"]) == (None, [], {"env": "prod"})
    assert cert["id"] >= 11_000_001
    # The private key is never answered nor kept.
    listed = await api.get("/certificates")
    _, state = await admin(api, "GET", "/_fake/state")
    for text in (json.dumps(reply.body), json.dumps(listed.body), json.dumps(state)):
        assert "PRIVATE KEY" not in text
    assert "PRIVATE KEY" not in repr(fake.state.certificates)
    actions = await api.get(f"/certificates/{cert['id']}/actions")
    assert actions.body["actions"] == []


def _pem(label: str, der: bytes) -> str:
    return f"-----BEGIN {label}-----\n{base64.b64encode(der).decode()}\n-----END {label}-----\n"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"certificate": None}, "certificate"),
        ({"private_key": None}, "private_key"),
        ({"certificate": "not a certificate"}, "certificate"),
        (
            {"certificate": "-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----"},
            "certificate",
        ),
        ({"certificate": _pem("CERTIFICATE", b"\x30\x03\x02\x01\x01")}, "certificate"),
        ({"certificate": sample.PRIVATE_KEY}, "certificate"),
        ({"private_key": sample.CERTIFICATE}, "private_key"),
        ({"private_key": _pem("ENCRYPTED PRIVATE KEY", b"\x30\x00")}, "private_key"),
        ({"private_key": _pem("PRIVATE KEY", b"garbage")}, "private_key"),
        ({"type": "self-signed"}, "type"),
        ({"name": None}, "name"),
    ],
)
async def test_uploaded_validation(api: Api, fields: dict[str, Any], field: str) -> None:
    body = {k: v for k, v in {**UPLOADED, **fields}.items() if v is not None}
    reply = await api.post("/certificates", body)
    assert reply.status == 422
    assert reply.body["error"]["code"] == "invalid_input"
    assert reply.body["error"]["details"]["fields"][0]["name"] == field
    # A message never quotes the key or the certificate.
    assert "MIG" not in json.dumps(reply.body)


async def test_names_are_unique_update_and_list(api: Api) -> None:
    first = (await api.post("/certificates", UPLOADED)).body["certificate"]
    dup = await api.post("/certificates", UPLOADED)
    assert (dup.status, dup.body["error"]["code"]) == (409, "uniqueness_error")
    await managed(api, "example.com", name="le")
    renamed = await api.put(f"/certificates/{first['id']}", {"name": "web-2", "labels": {"a": "b"}})
    assert (renamed.body["certificate"]["name"], renamed.body["certificate"]["labels"]) == (
        "web-2",
        {"a": "b"},
    )
    taken = await api.put(f"/certificates/{first['id']}", {"name": "le"})
    assert taken.status == 409
    by_type = await api.get("/certificates", params={"type": "managed"})
    assert [c["name"] for c in by_type.body["certificates"]] == ["le"]
    by_label = await api.get("/certificates", params={"label_selector": "a=b"})
    assert [c["name"] for c in by_label.body["certificates"]] == ["web-2"]
    ordered = await api.get("/certificates", params={"sort": "name:desc"})
    assert [c["name"] for c in ordered.body["certificates"]] == ["web-2", "le"]
    bad = await api.get("/certificates", params={"type": "other"})
    assert bad.body["error"]["code"] == "invalid_input"


async def test_managed_is_pending_then_issued(api: Api, clock: ManualClock) -> None:
    body = await managed(api, "example.com", "www.example.com")
    cert, action = body["certificate"], body["action"]
    assert cert["status"] == {"issuance": "pending", "renewal": "unavailable", "error": None}
    assert [cert[k] for k in ("certificate", "fingerprint", "not_valid_after")] == [None] * 3
    assert cert["domain_names"] == ["example.com", "www.example.com"]
    assert action["command"] == "create_certificate"
    assert action["resources"] == [{"id": cert["id"], "type": "certificate"}]
    locked = await api.delete(f"/certificates/{cert['id']}")
    assert (locked.status, locked.body["error"]["code"]) == (423, "locked")
    clock.advance(1.5)
    issued = await certificate(api, cert["id"])
    assert issued["status"] == {"issuance": "completed", "renewal": "scheduled", "error": None}
    info = read_certificate(issued["certificate"])
    assert info.domain_names == ["example.com", "www.example.com"]
    assert issued["fingerprint"] == info.fingerprint
    der = base64.b64decode("".join(issued["certificate"].splitlines()[1:-1]))
    assert issued["fingerprint"].replace(":", "") == hashlib.sha256(der).hexdigest()
    start = dt.datetime.fromisoformat(issued["not_valid_before"])
    assert dt.datetime.fromisoformat(issued["not_valid_after"]) - start == dt.timedelta(days=90)
    again = await api.post(f"/certificates/{cert['id']}/actions/retry")
    assert (again.status, again.body["error"]["code"]) == (422, "unsupported_error")
    listed = await api.get(f"/certificates/{cert['id']}/actions")
    assert [a["status"] for a in listed.body["actions"]] == ["success"]
    assert (await api.delete(f"/certificates/{cert['id']}")).status == 204


@pytest.mark.parametrize("domains", [[], ["bad domain"], ["-x.example.com"], ["a" * 254], [7]])
async def test_managed_needs_domain_names(api: Api, domains: list[Any]) -> None:
    reply = await api.post(
        "/certificates", {"name": "x", "type": "managed", "domain_names": domains}
    )
    assert reply.status == 422
    assert reply.body["error"]["details"]["fields"][0]["name"] == "domain_names"
    missing = await api.post("/certificates", {"name": "x", "type": "managed"})
    assert missing.body["error"]["details"]["fields"][0]["name"] == "domain_names"


async def test_scripted_failure_then_retry(api: Api, clock: ManualClock) -> None:
    script = {"command": "create_certificate", "code": "ca_dns_validation_failed"}
    status, _ = await admin(api, "POST", "/_fake/action_failures", {**script, "message": "nope"})
    assert status == 201
    cert = (await managed(api, "example.com"))["certificate"]
    clock.advance(1.5)
    failed = await certificate(api, cert["id"])
    error = {"code": "ca_dns_validation_failed", "message": "nope"}
    assert failed["status"] == {"issuance": "failed", "renewal": "unavailable", "error": error}
    assert failed["certificate"] is None
    (action,) = (await api.get(f"/certificates/{cert['id']}/actions")).body["actions"]
    assert (action["status"], action["error"]) == ("error", error)

    retried = await api.post(f"/certificates/{cert['id']}/actions/retry")
    assert retried.status == 201
    assert retried.body["action"]["command"] == "issue_certificate"
    assert (await certificate(api, cert["id"]))["status"]["issuance"] == "pending"
    clock.advance(1.5)
    done = await certificate(api, cert["id"])
    assert done["status"] == {"issuance": "completed", "renewal": "scheduled", "error": None}
    one = await api.get(f"/certificates/actions/{retried.body['action']['id']}")
    assert one.body["action"]["status"] == "success"


async def test_retry_only_for_managed(api: Api) -> None:
    uploaded = (await api.post("/certificates", UPLOADED)).body["certificate"]
    reply = await api.post(f"/certificates/{uploaded['id']}/actions/retry")
    assert (reply.status, reply.body["error"]["code"]) == (422, "unsupported_error")
    pending = (await managed(api, "example.com"))["certificate"]
    reply = await api.post(f"/certificates/{pending['id']}/actions/retry")
    assert reply.body["error"]["code"] == "unsupported_error"
    assert (await api.post("/certificates/1/actions/retry")).status == 404


async def test_issuance_follows_the_projects_zones(api: Api, clock: ManualClock) -> None:
    secondary = {"address": "198.51.100.1"}
    await api.post(
        "/zones", {"name": "other.net", "mode": "secondary", "primary_nameservers": [secondary]}
    )
    caa = [
        {"name": "@", "type": "CAA", "records": [{"value": '0 issue "digicert.com"'}]},
        {"name": "le", "type": "CAA", "records": [{"value": '0 issue "letsencrypt.org"'}]},
    ]
    await api.post("/zones", {"name": "example.com", "mode": "primary", "rrsets": caa})
    on_secondary = (await managed(api, "www.other.net", name="a"))["certificate"]
    refused = (await managed(api, "www.example.com", name="b"))["certificate"]
    allowed = (await managed(api, "api.le.example.com", name="c"))["certificate"]
    elsewhere = (await managed(api, "example.org", name="d"))["certificate"]
    clock.advance(1.5)
    statuses = [(await certificate(api, c["id"]))["status"] for c in (on_secondary, refused)]
    assert [s["error"]["code"] for s in statuses] == [
        "dns_zone_is_secondary_zone",
        "caa_record_does_not_allow_ca",
    ]
    for cert in (allowed, elsewhere):
        assert (await certificate(api, cert["id"]))["status"]["issuance"] == "completed"
    # The spec lists these codes as the retry's own errors.
    reply = await api.post(f"/certificates/{on_secondary['id']}/actions/retry")
    assert (reply.status, reply.body["error"]["code"]) == (422, "dns_zone_is_secondary_zone")


async def test_wildcards_look_for_issuewild(api: Api, clock: ManualClock) -> None:
    records = [{"value": '0 issue "letsencrypt.org"'}, {"value": '0 issuewild ";"'}]
    rrsets = [{"name": "@", "type": "CAA", "records": records}]
    await api.post("/zones", {"name": "example.com", "mode": "primary", "rrsets": rrsets})
    plain = (await managed(api, "example.com", name="plain"))["certificate"]
    wild = (await managed(api, "*.example.com", name="wild"))["certificate"]
    clock.advance(1.5)
    assert (await certificate(api, plain["id"]))["status"]["issuance"] == "completed"
    assert (await certificate(api, wild["id"]))["status"]["error"]["code"] == (
        "caa_record_does_not_allow_ca"
    )


async def test_used_by_follows_its_users(api: Api, fake: FakeHetznerCloud) -> None:
    cert = (await api.post("/certificates", UPLOADED)).body["certificate"]
    users = fake.state.part(CertificateUsers)
    users.use(cert["id"], "load_balancer", 10_000_001)
    users.use(cert["id"], "load_balancer", 10_000_002)
    got = await certificate(api, cert["id"])
    assert got["used_by"] == [
        {"id": 10_000_001, "type": "load_balancer"},
        {"id": 10_000_002, "type": "load_balancer"},
    ]
    refused = await api.delete(f"/certificates/{cert['id']}")
    assert (refused.status, refused.body["error"]["code"]) == (422, "service_error")
    users.release(cert["id"], "load_balancer", 10_000_001)
    users.release_all("load_balancer", 10_000_002)
    assert (await certificate(api, cert["id"]))["used_by"] == []
    assert (await api.delete(f"/certificates/{cert['id']}")).status == 204
    assert (await api.get(f"/certificates/{cert['id']}")).status == 404
