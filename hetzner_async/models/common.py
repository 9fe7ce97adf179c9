"""Objects shared by every resource: list metadata, deprecation notices, delete protection."""

from datetime import datetime

import attrs

__all__ = ["DeleteProtection", "DeprecationInfo", "Meta", "Pagination"]


def redacted(value: object) -> str:
    """Render a secret for ``repr``: say whether it is set, never what it is."""
    return "None" if value is None else "<redacted>"


@attrs.frozen(kw_only=True)
class Pagination:
    """Position of one page in a list; the optional counts are null when the API does not know."""

    page: int
    per_page: int
    previous_page: int | None
    next_page: int | None
    last_page: int | None
    total_entries: int | None


@attrs.frozen(kw_only=True)
class Meta:
    """Metadata that comes with every page of a list."""

    pagination: Pagination


@attrs.frozen(kw_only=True)
class DeprecationInfo:
    """When a deprecation was announced and after when the resource can no longer be used."""

    unavailable_after: datetime
    announced: datetime


@attrs.frozen(kw_only=True)
class DeleteProtection:
    """Whether a resource is protected against deletion (its only protectable operation)."""

    delete: bool
