"""``/ssh_keys``: list, get, create, update, delete."""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct

from aiohttp import web

from ..errors import invalid_input, not_found, uniqueness_error
from ..state import Table
from .common import (
    Json,
    backend,
    filter_by_labels,
    int_id,
    json_response,
    list_response,
    optional,
    read_body,
    require,
    select_by_name,
    valid_labels,
)

__all__ = ["fingerprint", "routes"]

_KEY_TYPES = {
    "ssh-rsa",
    "ssh-dss",
    "ssh-ed25519",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
}


def fingerprint(public_key: str) -> str:
    """Return the MD5 fingerprint (``aa:bb:…``) of an OpenSSH public key; ValueError if bad."""
    parts = public_key.strip().split()
    if len(parts) < 2 or parts[0] not in _KEY_TYPES:
        raise ValueError("not an OpenSSH public key")
    try:
        blob = base64.b64decode(parts[1], validate=True)
    except binascii.Error:
        raise ValueError("the key blob is not base64") from None
    if len(blob) < 4:
        raise ValueError("the key blob is too short")
    (length,) = struct.unpack(">I", blob[:4])
    if blob[4 : 4 + length].decode("ascii", "replace") != parts[0]:
        raise ValueError("the key blob does not match the key type")
    digest = hashlib.md5(blob, usedforsecurity=False).hexdigest()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def _key(request: web.Request) -> Json:
    state = backend(request).state
    kid = int_id(request, "SSH key")
    key = state.ssh_keys.get(kid)
    if key is None:
        raise not_found("SSH key", kid)
    return key


def _check_name(keys: Table, name: str, own_id: int | None = None) -> None:
    if not name.strip():
        raise invalid_input({"name": ["must not be empty"]})
    if keys.has_name(name, exclude=own_id):
        raise uniqueness_error("name", f"SSH key with the name '{name}' already exists")


async def list_ssh_keys(request: web.Request) -> web.Response:
    """GET /ssh_keys."""
    state = backend(request).state
    items = select_by_name(state.ssh_keys, request)
    wanted = request.query.get("fingerprint")
    if wanted is not None:
        items = [k for k in items if k["fingerprint"] == wanted]
    items = filter_by_labels(items, request)
    return list_response(request, "ssh_keys", items, ("id", "name"))


async def get_ssh_key(request: web.Request) -> web.Response:
    """GET /ssh_keys/{id}."""
    return json_response({"ssh_key": _key(request)})


async def create_ssh_key(request: web.Request) -> web.Response:
    """POST /ssh_keys."""
    state = backend(request).state
    body = await read_body(request)
    name: str = require(body, "name", str)
    public_key: str = require(body, "public_key", str)
    labels = valid_labels(body) or {}
    try:
        print_ = fingerprint(public_key)
    except ValueError as exc:
        raise invalid_input({"public_key": [str(exc)]}) from None
    _check_name(state.ssh_keys, name)
    if any(k["fingerprint"] == print_ for k in state.ssh_keys.values()):
        raise uniqueness_error("public_key", "SSH key with the same fingerprint already exists")
    kid = state.next_id("ssh_key")
    key = {
        "id": kid,
        "name": name,
        "fingerprint": print_,
        "public_key": public_key.strip(),
        "labels": labels,
        "created": state.now_iso(),
    }
    state.ssh_keys[kid] = key
    return json_response({"ssh_key": key}, status=201)


async def update_ssh_key(request: web.Request) -> web.Response:
    """PUT /ssh_keys/{id}."""
    state = backend(request).state
    key = _key(request)
    body = await read_body(request)
    name: str | None = optional(body, "name", str)
    labels = valid_labels(body)
    if name is not None:
        _check_name(state.ssh_keys, name, own_id=key["id"])
        state.ssh_keys.rename(key["id"], name)
    if labels is not None:
        key["labels"] = labels
    return json_response({"ssh_key": key})


async def delete_ssh_key(request: web.Request) -> web.Response:
    """DELETE /ssh_keys/{id}."""
    key = _key(request)
    del backend(request).state.ssh_keys[key["id"]]
    return web.Response(status=204)


def routes() -> list[web.RouteDef]:
    """Return the routes of this module (under ``/v1``)."""
    item = "/v1/ssh_keys/{id:\\d+}"
    return [
        web.get("/v1/ssh_keys", list_ssh_keys),
        web.post("/v1/ssh_keys", create_ssh_key),
        web.get(item, get_ssh_key),
        web.put(item, update_ssh_key),
        web.delete(item, delete_ssh_key),
    ]
