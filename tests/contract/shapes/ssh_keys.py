"""Response shapes of ``/ssh_keys``."""

from __future__ import annotations

from hetzner_async.models import SSHKey

from ._core import Shape, page

SSH_KEY = {"ssh_key": SSHKey}

OPERATIONS: dict[tuple[str, str], Shape] = {
    ("get", "/ssh_keys"): page("ssh_keys", SSHKey),
    ("post", "/ssh_keys"): SSH_KEY,
    ("get", "/ssh_keys/{id}"): SSH_KEY,
    ("put", "/ssh_keys/{id}"): SSH_KEY,
}
NO_CONTENT = [("delete", "/ssh_keys/{id}")]
