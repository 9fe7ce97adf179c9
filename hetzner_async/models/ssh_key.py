"""SSH keys stored in a project, to be put on servers at creation or rescue."""

from datetime import datetime

import attrs

__all__ = ["SSHKey"]


@attrs.frozen(kw_only=True)
class SSHKey:
    """A public SSH key stored in the project."""

    id: int
    name: str
    fingerprint: str
    public_key: str
    labels: dict[str, str]
    created: datetime
