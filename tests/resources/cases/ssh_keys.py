"""Wire cases of ``hz.ssh_keys``."""

from __future__ import annotations

from ...examples import example
from ._core import PAGE, WireCase, page_of

SSH_KEY = example("ssh_key")

CASES = [
    WireCase(
        "ssh_keys.list",
        (),
        {"name": "ops", "fingerprint": "b7:2f", "label_selector": {"team": "ops"}, "sort": "id"},
        "GET",
        "/v1/ssh_keys",
        [
            ("name", "ops"),
            ("fingerprint", "b7:2f"),
            ("label_selector", "team=ops"),
            ("sort", "id"),
            *PAGE,
        ],
        None,
        200,
        page_of("ssh_keys", SSH_KEY["ssh_key"]),
    ),
    WireCase("ssh_keys.get", (2323,), {}, "GET", "/v1/ssh_keys/2323", [], None, 200, SSH_KEY),
    WireCase(
        "ssh_keys.get_by_name",
        ("ops",),
        {},
        "GET",
        "/v1/ssh_keys",
        [("name", "ops"), *PAGE],
        None,
        200,
        page_of("ssh_keys", SSH_KEY["ssh_key"]),
    ),
    WireCase(
        "ssh_keys.create",
        (),
        {"name": "ops", "public_key": "ssh-ed25519 AAAA ops@host\n", "labels": {"team": "ops"}},
        "POST",
        "/v1/ssh_keys",
        [],
        {"name": "ops", "public_key": "ssh-ed25519 AAAA ops@host", "labels": {"team": "ops"}},
        201,
        SSH_KEY,
    ),
    WireCase(
        "ssh_keys.update",
        (2323,),
        {"name": "ops-2", "labels": {}},
        "PUT",
        "/v1/ssh_keys/2323",
        [],
        {"name": "ops-2", "labels": {}},
        200,
        SSH_KEY,
    ),
    WireCase("ssh_keys.delete", (2323,), {}, "DELETE", "/v1/ssh_keys/2323", [], None, 204, None),
]
