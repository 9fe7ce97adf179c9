"""``/ssh_keys``: create (with the MD5 fingerprint of the key); generic list, get, update, delete.

A plain user of the core: one kind, one create handler, a list filter, generic handlers.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct

from aiohttp import web

from ..core import (
    Kind,
    Registry,
    check_name,
    delete_handler,
    get_handler,
    json_response,
    list_handler,
    project_of,
    read_body,
    require,
    update_handler,
    valid_labels,
)
from ..core.listing import equals
from ..errors import invalid_input, uniqueness_error

__all__ = ["SSH_KEY", "fingerprint", "register"]

SSH_KEY = Kind(
    "ssh_key",
    "ssh_keys",
    first_id=2_000_001,
    title="SSH key",
    sortable=("id", "name"),
    name_taken="{title} with the name '{name}' already exists",
)

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


async def create_ssh_key(request: web.Request) -> web.Response:
    """POST /ssh_keys."""
    project = project_of(request)
    keys = project.tables[SSH_KEY.name]
    body = await read_body(request)
    name: str = require(body, "name", str)
    public_key: str = require(body, "public_key", str)
    labels = valid_labels(body) or {}
    try:
        print_ = fingerprint(public_key)
    except ValueError as exc:
        raise invalid_input({"public_key": [str(exc)]}) from None
    check_name(project, SSH_KEY, name)
    if any(k["fingerprint"] == print_ for k in keys.values()):
        raise uniqueness_error("public_key", "SSH key with the same fingerprint already exists")
    kid = project.next_id(SSH_KEY.name)
    key = {
        "id": kid,
        "name": name,
        "fingerprint": print_,
        "public_key": public_key.strip(),
        "labels": labels,
        "created": project.now_iso(),
    }
    keys[kid] = key
    return json_response({"ssh_key": key}, status=201)


def register(registry: Registry) -> None:
    """Add SSH keys and their routes."""
    registry.kind(SSH_KEY)
    registry.routes(
        [
            web.get("/v1/ssh_keys", list_handler(SSH_KEY, equals("fingerprint"))),
            web.post("/v1/ssh_keys", create_ssh_key),
            web.get(SSH_KEY.item_path, get_handler(SSH_KEY)),
            web.put(SSH_KEY.item_path, update_handler(SSH_KEY)),
            web.delete(SSH_KEY.item_path, delete_handler(SSH_KEY)),
        ]
    )
