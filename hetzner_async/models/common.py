"""Objects shared by every resource: list metadata, deprecations, delete protection, open enums."""

import enum
from datetime import datetime
from typing import Any, Self, TypeVar

import attrs

__all__ = ["DeleteProtection", "DeprecationInfo", "Meta", "OpenStrEnum", "Pagination"]

#: (enum class, value) -> the stand-in for a value the API sent that the enum does not list.
_UNLISTED: dict[tuple[type, str], Any] = {}

E = TypeVar("E", bound=enum.StrEnum)


def unlisted(cls: type[E], value: str) -> E:
    """Return the one stand-in of ``cls`` for a value it does not list: it keeps the string.

    The tolerant reader uses it for every string enum; ``OpenStrEnum`` also for ``cls(value)``.
    """
    key = (cls, value)
    found: E | None = _UNLISTED.get(key)
    if found is None:
        found = str.__new__(cls, value)
        found._name_ = value.upper()
        found._value_ = value
        found = _UNLISTED.setdefault(key, found)
    return found


class OpenStrEnum(enum.StrEnum):
    """A string enum that also holds values the API added after this SDK was released.

    ``ActionStatus("paused")`` returns a value of the class that is none of its members: it
    keeps its string (``== "paused"``, ``str(...)``, ``.value``), compares unequal to every
    member, and ``.known`` is False. The API adds enum values without a version bump; reading
    one must not fail (https://docs.hetzner.cloud/reference/cloud#deprecation-notices). Enums the
    caller passes in (``ZoneMode``) stay plain ``StrEnum``s, so that a typo is still refused;
    the tolerant reader keeps unknown values of those too, as stand-ins that do not pickle.
    """

    @classmethod
    def _missing_(cls, value: object) -> Self | None:
        return unlisted(cls, value) if isinstance(value, str) else None

    @property
    def known(self) -> bool:
        """Tell whether this is one of the members this SDK knows, not a value added since."""
        return self._name_ in type(self)._member_map_ and type(self)[self._name_] is self


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
