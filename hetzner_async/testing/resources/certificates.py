"""``/certificates``: uploaded and managed TLS certificates, issuance, ``retry``, ``used_by``.

An uploaded certificate is read from its PEM (``certificate_pem``); its private key is checked
and dropped, never stored. A managed one starts ``pending`` with a ``create_certificate``
action and is ``completed`` (with a minted certificate) when the action succeeds, or
``failed`` with the action's error: script one with ``fail_next_action("create_certificate",
code="ca_dns_validation_failed")``. Issuance also fails, as the real API's does, when a
domain's zone in this project is secondary or has CAA records that do not allow Let's Encrypt.
``used_by`` is derived from ``CertificateUsers``, where the resources that use a certificate
(load balancers) register.
https://docs.hetzner.cloud/reference/cloud#certificates
"""

from __future__ import annotations

import datetime as dt
import re

from aiohttp import web

from ..core import (
    Json,
    Kind,
    Project,
    Ref,
    Registry,
    action_routes,
    check_name,
    delete_handler,
    get_handler,
    json_response,
    list_handler,
    optional,
    path_resource,
    project_of,
    read_body,
    require,
    update_handler,
    valid_labels,
)
from ..core.listing import one_of
from ..errors import ApiError, invalid_input
from .certificate_pem import PemError, mint_certificate, read_certificate, read_key
from .zone_store import ZoneRecords

__all__ = ["CERTIFICATE", "CertificateUsers", "register"]

CERTIFICATE = Kind("certificate", "certificates", first_id=11_000_001)
TYPES = ("uploaded", "managed")
# A host name, optionally with one leading wildcard label (as the SDK's _validate_cert).
_DOMAIN = re.compile(
    r"^(\*\.)?([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$"
)
_MAX_DOMAIN = 253
_LETS_ENCRYPT = "letsencrypt.org"


class CertificateUsers:
    """Which resources use each certificate (a state part; load balancers register here)."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._by_certificate: dict[int, dict[Ref, None]] = {}
        self._by_user: dict[Ref, set[int]] = {}

    def use(self, certificate_id: int, kind: str, resource_id: int) -> None:
        """Note that a resource (``"load_balancer"``, 7) uses a certificate."""
        self._by_certificate.setdefault(certificate_id, {})[(kind, resource_id)] = None
        self._by_user.setdefault((kind, resource_id), set()).add(certificate_id)
        self.project.mark_stale((CERTIFICATE.name, certificate_id))

    def release(self, certificate_id: int, kind: str, resource_id: int) -> None:
        """Note that a resource no longer uses a certificate."""
        self._by_certificate.get(certificate_id, {}).pop((kind, resource_id), None)
        self._by_user.get((kind, resource_id), set()).discard(certificate_id)
        self.project.mark_stale((CERTIFICATE.name, certificate_id))

    def release_all(self, kind: str, resource_id: int) -> None:
        """Forget every certificate a resource used (it was deleted)."""
        for certificate_id in self._by_user.pop((kind, resource_id), set()):
            self._by_certificate.get(certificate_id, {}).pop((kind, resource_id), None)
            self.project.mark_stale((CERTIFICATE.name, certificate_id))

    def users(self, certificate_id: int) -> list[Json]:
        """Return the ``used_by`` of a certificate."""
        refs = self._by_certificate.get(certificate_id, {})
        return [{"id": rid, "type": kind} for kind, rid in refs]

    def forget(self, certificate_id: int) -> None:
        """Forget a deleted certificate."""
        for ref in self._by_certificate.pop(certificate_id, {}):
            self._by_user.get(ref, set()).discard(certificate_id)


def _pem(body: Json, field: str) -> str:
    value: str = require(body, field, str)
    try:
        if field == "private_key":
            read_key(value)
        else:
            read_certificate(value)
    except PemError as exc:
        raise invalid_input({field: [str(exc)]}) from None
    return value


def _domains(body: Json) -> list[str]:
    names = require(body, "domain_names", list)
    if not names:
        raise invalid_input({"domain_names": ["must not be empty"]})
    for name in names:
        if not isinstance(name, str) or len(name) > _MAX_DOMAIN or not _DOMAIN.match(name):
            raise invalid_input({"domain_names": [f"{name!r} is not a domain name"]})
    return list(dict.fromkeys(names))


def _status(issuance: str, renewal: str = "unavailable", error: Json | None = None) -> Json:
    return {"issuance": issuance, "renewal": renewal, "error": error}


async def create_certificate(request: web.Request) -> web.Response:
    """POST /certificates: an uploaded certificate at once, a managed one through an action."""
    project = project_of(request)
    body = await read_body(request)
    name: str = require(body, "name", str)
    labels = valid_labels(body) or {}
    kind: str = optional(body, "type", str, "uploaded")
    if kind not in TYPES:
        raise invalid_input({"type": [f"must be one of {', '.join(TYPES)}"]})
    certificate: Json = {"id": 0, "name": name, "labels": labels, "type": kind}
    if kind == "uploaded":
        # Fields of the other type are ignored, as the API ignores them.
        pem = _pem(body, "certificate")
        _pem(body, "private_key")  # checked, then dropped: the key is never kept
        info = read_certificate(pem)
        certificate |= {
            "certificate": pem,
            "not_valid_before": info.not_valid_before,
            "not_valid_after": info.not_valid_after,
            "domain_names": info.domain_names,
            "fingerprint": info.fingerprint,
            "status": None,
        }
    else:
        certificate |= {
            "certificate": None,
            "not_valid_before": None,
            "not_valid_after": None,
            "domain_names": _domains(body),
            "fingerprint": None,
            "status": _status("pending"),
        }
    check_name(project, CERTIFICATE, name)
    cid = project.next_id(CERTIFICATE.name)
    certificate |= {"id": cid, "created": project.now_iso(), "used_by": []}
    # Key order as the API's: created comes after certificate.
    ordered = {k: certificate[k] for k in _FIELDS}
    project.tables[CERTIFICATE.name][cid] = ordered
    action = None
    if kind == "managed":
        action = _issue(project, ordered, "create_certificate", _zone_problem(project, ordered))
    project.refresh()
    return json_response({"certificate": ordered, "action": action}, status=201)


_FIELDS = (
    "id",
    "name",
    "labels",
    "type",
    "certificate",
    "created",
    "not_valid_before",
    "not_valid_after",
    "domain_names",
    "fingerprint",
    "status",
    "used_by",
)


def _issue(
    project: Project, certificate: Json, command: str, problem: tuple[str, str] | None
) -> Json:
    """Start issuing a managed certificate; its status follows the action's outcome."""
    cid = certificate["id"]
    ref = (CERTIFICATE.name, cid)
    renewing = certificate["status"]["issuance"] == "completed"

    def issued() -> None:
        if cid not in project.tables[CERTIFICATE.name]:
            return
        start = dt.datetime.fromtimestamp(project.timebase.wall(), dt.UTC)
        pem, _ = mint_certificate(certificate["domain_names"], start)
        info = read_certificate(pem)
        certificate.update(
            certificate=pem,
            not_valid_before=info.not_valid_before,
            not_valid_after=info.not_valid_after,
            fingerprint=info.fingerprint,
            status=_status("completed", "scheduled"),
        )
        project.touch(*ref)

    def failed() -> None:
        if cid not in project.tables[CERTIFICATE.name]:
            return
        error = dict(action["error"])
        if renewing:
            certificate["status"] = _status("completed", "failed", error)
        else:
            certificate["status"] = _status("failed", "unavailable", error)
        project.touch(*ref, "status")

    action = project.start_action(command, [ref], on_success=issued, on_error=failed, locks=[ref])
    run = project.runs[action["id"]]
    if problem is not None and run.failure is None:
        run.failure = problem
    return action


def _zone_problem(project: Project, certificate: Json) -> tuple[str, str] | None:
    """Return why Let's Encrypt would refuse a domain, judged by this project's zones."""
    zones = project.tables.get("zone")
    if zones is None:  # a registry built without zones
        return None
    for domain in certificate["domain_names"]:
        labels = domain.split(".")
        for start in range(len(labels) - 1):
            zone = next(iter(zones.named(".".join(labels[start:]))), None)
            if zone is None:
                continue
            if zone["mode"] == "secondary":
                return "dns_zone_is_secondary_zone", f"DNS zone {zone['name']} is a secondary zone"
            records = project.part(ZoneRecords)
            if not records.caa_allows(zone, labels[:start], _LETS_ENCRYPT):
                message = f"CAA record does not allow certificate authority for {domain}"
                return "caa_record_does_not_allow_ca", message
            break
    return None


async def retry(request: web.Request) -> web.Response:
    """POST /certificates/{id}/actions/retry: only a managed certificate whose issuance failed."""
    project = project_of(request)
    certificate = path_resource(request, CERTIFICATE.name)
    status = certificate["status"]
    if certificate["type"] != "managed" or status is None:
        raise ApiError(422, "unsupported_error", "only a managed certificate can be retried")
    if "failed" not in (status["issuance"], status["renewal"]):
        raise ApiError(
            422, "unsupported_error", "neither issuance nor renewal of this certificate failed"
        )
    project.ensure_unlocked(CERTIFICATE.name, certificate["id"])
    problem = _zone_problem(project, certificate)
    if problem is not None:
        # The spec lists these as the operation's own errors.
        raise ApiError(422, *problem)
    if status["issuance"] == "failed":
        certificate["status"] = _status("pending")
    else:
        certificate["status"] = _status("completed", "pending")
    project.touch(CERTIFICATE.name, certificate["id"], "status")
    action = _issue(project, certificate, "issue_certificate", None)
    return json_response({"action": action}, status=201)


def _refuse_in_use(project: Project, certificate_id: int, certificate: Json) -> None:
    # The API answers a certificate still referenced by a load balancer service so.
    if project.part(CertificateUsers).users(certificate_id):
        raise ApiError(422, "service_error", "certificate still in use")


def _derive_used_by(project: Project, certificate_id: int, certificate: Json) -> None:
    certificate["used_by"] = project.part(CertificateUsers).users(certificate_id)


def _forget(project: Project, certificate_id: int, certificate: Json) -> None:
    project.part(CertificateUsers).forget(certificate_id)


def register(registry: Registry) -> None:
    """Add certificates, their routes, and the ``used_by`` users register with."""
    registry.kind(CERTIFICATE)
    registry.part(CertificateUsers)
    registry.derive(CERTIFICATE.name, _derive_used_by)
    registry.before_delete(CERTIFICATE.name, _refuse_in_use)
    registry.on_delete(CERTIFICATE.name, _forget)
    item = CERTIFICATE.item_path
    registry.routes(
        [
            web.get("/v1/certificates", list_handler(CERTIFICATE, one_of("type", TYPES))),
            web.post("/v1/certificates", create_certificate),
            web.get(item, get_handler(CERTIFICATE)),
            web.put(item, update_handler(CERTIFICATE)),
            web.delete(item, delete_handler(CERTIFICATE)),
            web.post(f"{item}/actions/retry", retry),
            *action_routes(CERTIFICATE),
        ]
    )
