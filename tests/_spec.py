"""Validate JSON bodies against the vendored OpenAPI description (tests/spec/cloud.spec.json).

``validate_request`` and ``validate_response`` find the operation for a method and a *concrete*
path (``/servers/42/actions/poweron`` matches ``/servers/{id}/actions/poweron``) and validate a
body with ``openapi_schema_validator.OAS30Validator``, which understands OpenAPI's ``nullable``.

By default the check is strict: an object whose schema lists ``properties`` may carry no other
key, so a misspelt request field or an invented response field fails. The spec itself never says
``additionalProperties: false`` for these resources; pass ``strict=False`` for the spec's own,
looser reading.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openapi_schema_validator import OAS30Validator, oas30_format_checker

SPEC_PATH = Path(__file__).parent / "spec" / "cloud.spec.json"
_METHODS = ("get", "put", "post", "delete", "patch")
_COMBINATORS = ("allOf", "anyOf", "oneOf", "not")


@dataclass(frozen=True)
class Operation:
    method: str
    template: str
    spec: dict[str, Any]


#: A Primary IP's ID where the real API takes or shows one since 2026-10-05, after the spec.
_PRIMARY_IP_ID: dict[str, Any] = {
    "description": "ID of a Primary IP (newer than cloud.spec.json).",
    "type": "integer",
    "format": "int64",
}

#: Request fields the real API has taken since the vendored spec, by operation. Since
#: 2026-10-05 ``POST /load_balancers`` takes ``public_net.ipv4``/``ipv6``, IDs of Primary IPs
#: to assign (https://docs.hetzner.cloud/changelog#2026-10-05-load-balancers-can-use-existing-primary-ips;
#: hcloud-python 2.27 ``LoadBalancerCreatePublicNetwork``, hcloud-go 2.52, CLI 1.70).
NEWER_REQUEST_FIELDS: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/load_balancers"): {
        "public_net": {
            "description": "Primary IPs to assign; a version left out gets a new address.",
            "type": "object",
            "properties": {
                "ipv4": {**_PRIMARY_IP_ID, "nullable": True},
                "ipv6": {**_PRIMARY_IP_ID, "nullable": True},
            },
        },
    },
}

#: Request fields the spec requires and the real API no longer does, by operation. Since
#: 2026-04-27 ``assignee_type`` of ``POST /primary_ips`` is optional: it matters only beside an
#: ``assignee_id`` (https://docs.hetzner.cloud/changelog#2026-04-27-primary-ips-make-assignee_type-optional;
#: hcloud-python PR #647 sends it only then, hcloud-go PR #840, CLI PR #1395).
NEWER_OPTIONAL_FIELDS: dict[tuple[str, str], frozenset[str]] = {
    ("POST", "/primary_ips"): frozenset({"assignee_type"}),
}

#: The answers' side of the same changes, applied wherever the schema occurs: a load balancer's
#: ``public_net`` (found by its documented properties) shows the ``id`` of the Primary IP an
#: address belongs to (optional: hcloud-python reads it only when present), and a Primary IP
#: (found by ``blocked`` beside ``assignee_type``) may show these newer ``assignee_type`` values.
_LOAD_BALANCER_PUBLIC_NET = frozenset({"enabled", "ipv4", "ipv6"})
NEWER_ASSIGNEE_TYPES = (
    # Assigned to a load balancer, since 2026-10-05 (the changelog entry above).
    "load_balancer",
    # Assigned to nothing (``assignee_id`` null), since 1 August 2026; before, ``server``
    # (https://docs.hetzner.cloud/changelog#2026-04-27-primary-ips-will-return-unassigned).
    "unassigned",
)


def _add_newer_answer_fields(schema: Any) -> None:
    if isinstance(schema, list):
        for item in schema:
            _add_newer_answer_fields(item)
        return
    if not isinstance(schema, dict):
        return
    props = schema.get("properties")
    if isinstance(props, dict):
        if frozenset(props) == _LOAD_BALANCER_PUBLIC_NET:
            for family in ("ipv4", "ipv6"):
                props[family]["properties"].setdefault("id", dict(_PRIMARY_IP_ID))
        if {"assignee_type", "blocked"} <= props.keys() and "enum" in props["assignee_type"]:
            enum = props["assignee_type"]["enum"]
            enum.extend(value for value in NEWER_ASSIGNEE_TYPES if value not in enum)
    for value in schema.values():
        _add_newer_answer_fields(value)


@functools.cache
def spec() -> dict[str, Any]:
    """Return the vendored spec with what the real API has gained since (``NEWER_*``)."""
    with SPEC_PATH.open(encoding="utf-8") as f:
        loaded: dict[str, Any] = json.load(f)
    for (method, template), fields in NEWER_REQUEST_FIELDS.items():
        body = loaded["paths"][template][method.lower()]["requestBody"]
        body["content"]["application/json"]["schema"]["properties"].update(copy.deepcopy(fields))
    for (method, template), optional in NEWER_OPTIONAL_FIELDS.items():
        schema = loaded["paths"][template][method.lower()]["requestBody"]["content"]
        required = schema["application/json"]["schema"]["required"]
        required[:] = [name for name in required if name not in optional]
    _add_newer_answer_fields(loaded["paths"])
    return loaded


@functools.cache
def _templates() -> list[tuple[re.Pattern[str], int, str]]:
    out = []
    for template in spec()["paths"]:
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        literal_chars = len(re.sub(r"\{[^}]+\}", "", template))
        out.append((re.compile(pattern), literal_chars, template))
    # Prefer the most literal template: /servers/actions beats /servers/{id}.
    out.sort(key=lambda item: -item[1])
    return out


def _strip_prefix(path: str) -> str:
    path = path.split("?", 1)[0]
    if path.startswith("/v1/"):
        path = path[3:]
    return path.rstrip("/") or "/"


def find_operation(method: str, path: str) -> Operation:
    """Return the operation for ``method`` and a concrete path, or raise AssertionError."""
    concrete = _strip_prefix(path)
    for pattern, _, template in _templates():
        if pattern.match(concrete):
            ops = spec()["paths"][template]
            op = ops.get(method.lower())
            if op is None:
                allowed = sorted(m.upper() for m in ops if m in _METHODS)
                raise AssertionError(f"{method} {template}: not in the spec (allowed: {allowed})")
            return Operation(method.upper(), template, op)
    raise AssertionError(f"{method} {path}: no path template in the spec matches")


#: Fields the real API sends beyond an object's documented properties, by the documented ones.
#: An http service's ``http`` lists only what http has, but the API also sends https's
#: ``certificates`` (empty) and ``redirect_http`` (false); hcloud-python reads both for every
#: non-tcp service (``BoundLoadBalancer.__init__``), so an answer without them breaks it.
_REAL_API_EXTRAS: dict[frozenset[str], dict[str, Any]] = {
    frozenset({"cookie_name", "cookie_lifetime", "timeout_idle", "sticky_sessions"}): {
        "certificates": {"type": "array", "items": {"type": "integer"}, "maxItems": 0},
        "redirect_http": {"type": "boolean", "enum": [False]},
    },
}


def _strictify(schema: Any, *, inside_combinator: bool = False) -> Any:
    if isinstance(schema, list):
        return [_strictify(item, inside_combinator=inside_combinator) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _COMBINATORS:
            out[key] = _strictify(value, inside_combinator=True)
        elif key == "properties" and isinstance(value, dict):
            out[key] = {name: _strictify(sub) for name, sub in value.items()}
        elif key in ("items", "additionalProperties"):
            out[key] = _strictify(value)
        else:
            out[key] = value
    composed = any(key in schema for key in _COMBINATORS)
    if (
        "properties" in schema
        and "additionalProperties" not in schema
        and not composed
        and not inside_combinator
    ):
        out["additionalProperties"] = False
        extras = _REAL_API_EXTRAS.get(frozenset(schema["properties"]))
        if extras is not None:
            out["properties"] = {**out["properties"], **extras}
    return out


def without_discriminators(schema: Any) -> Any:
    """Drop ``discriminator``: the inlined spec keeps mappings to ``#/components/schemas/...``
    that no longer exist, and ``oneOf`` alone tells the variants apart (each pins its tag)."""
    if isinstance(schema, list):
        return [without_discriminators(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    return {k: without_discriminators(v) for k, v in schema.items() if k != "discriminator"}


@functools.cache
def _validator(key: tuple[str, str, str, str], strict: bool) -> OAS30Validator:
    method, template, kind, status = key
    op = spec()["paths"][template][method.lower()]
    if kind == "request":
        schema = op["requestBody"]["content"]["application/json"]["schema"]
    else:
        schema = op["responses"][status]["content"]["application/json"]["schema"]
    schema = _strictify(schema) if strict else copy.deepcopy(schema)
    schema = without_discriminators(schema)
    return OAS30Validator(schema, format_checker=oas30_format_checker)


def _check(validator: OAS30Validator, body: Any, where: str) -> None:
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
    if errors:
        lines = [
            f"  at {'/'.join(str(p) for p in e.absolute_path) or '<root>'}: {e.message}"
            for e in errors[:10]
        ]
        more = f"\n  … and {len(errors) - 10} more" if len(errors) > 10 else ""
        raise AssertionError(f"{where} does not match cloud.spec.json:\n" + "\n".join(lines) + more)


def validate_request(method: str, path: str, body: Any, *, strict: bool = True) -> None:
    """Validate a request body against its operation's requestBody schema."""
    op = find_operation(method, path)
    if "requestBody" not in op.spec:
        if body not in (None, {}):
            raise AssertionError(f"{op.method} {op.template} takes no request body, got {body!r}")
        return
    if body is None:
        if op.spec["requestBody"].get("required"):
            raise AssertionError(f"{op.method} {op.template} requires a request body")
        return
    validator = _validator((op.method, op.template, "request", ""), strict)
    _check(validator, body, f"request body of {op.method} {op.template}")


def _response_key(responses: dict[str, Any], status: int) -> str | None:
    for key in (str(status), f"{status // 100}xx", f"{status // 100}XX", "default"):
        if key in responses:
            return key
    return None


#: Answers the real API has changed since the vendored spec, with the operation whose documented
#: answer they now share. ``DELETE /load_balancers/{id}`` answers an action since 2026-10-05
#: (https://docs.hetzner.cloud/changelog#2026-10-05-load-balancers-can-use-existing-primary-ips;
#: hcloud-python 2.27 and hcloud-go 2.52 read it); the spec still says ``204``.
NEWER_THAN_SPEC: dict[tuple[str, str, int], tuple[str, str]] = {
    ("DELETE", "/load_balancers/{id}", 200): ("DELETE", "/servers/{id}"),
}


def validate_response(
    method: str, path: str, status: int, body: Any, *, strict: bool = True
) -> None:
    """Validate a response body against its operation's schema for ``status``."""
    op = find_operation(method, path)
    newer = NEWER_THAN_SPEC.get((op.method, op.template, status))
    if newer is not None:
        twin = newer[1].replace("{id}", "1")
        validate_response(newer[0], twin, status, body, strict=strict)
        return
    key = _response_key(op.spec["responses"], status)
    if key is None:
        raise AssertionError(
            f"{op.method} {op.template}: status {status} is not documented "
            f"(documented: {sorted(op.spec['responses'])})"
        )
    content = op.spec["responses"][key].get("content")
    if content is None:
        if body not in (None, b"", ""):
            raise AssertionError(f"{op.method} {op.template} {status} has no body, got {body!r}")
        return
    if body is None:
        raise AssertionError(f"{op.method} {op.template} {status} must have a JSON body")
    validator = _validator((op.method, op.template, "response", key), strict)
    _check(validator, body, f"{status} response of {op.method} {op.template}")


def validate_error(body: Any, *, strict: bool = True) -> None:
    """Validate an error envelope against the spec's shared 4xx schema."""
    validate_response("GET", "/servers", 404, body, strict=strict)


def response_example(method: str, path: str) -> Any:
    """Return a fresh copy of the spec's example of the success answer to a concrete request.

    ``response_example("POST", "/v1/volumes")`` is the documented 201 body; None when the
    operation answers without a body or the spec gives no example.
    """
    op = find_operation(method, path)
    codes = [code for code in op.spec["responses"] if code.startswith("2")]
    content = op.spec["responses"][codes[0]].get("content", {}).get("application/json", {})
    examples = content.get("examples") or {}
    if not examples:
        return None
    return copy.deepcopy(next(iter(examples.values()))["value"])


def request_example(method: str, path: str) -> Any:
    """Return a fresh copy of the spec's example request body for a concrete request, or None."""
    op = find_operation(method, path)
    content = op.spec.get("requestBody", {}).get("content", {}).get("application/json", {})
    examples = content.get("examples") or {}
    if not examples:
        return content.get("example")
    return copy.deepcopy(next(iter(examples.values()))["value"])
