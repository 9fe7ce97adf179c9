"""Pure helpers for list endpoints: pagination, sorting and the Link header.

https://docs.hetzner.cloud/reference/cloud#pagination and #sorting
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from yarl import URL

from .errors import invalid_input

__all__ = ["link_header", "paginate", "parse_page", "sort_items"]

Json = dict[str, Any]


def _positive_int(raw: str | None, name: str, default: int) -> int:
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise invalid_input({name: ["must be an integer"]}) from None
    if value < 1:
        raise invalid_input({name: ["must be at least 1"]})
    return value


def parse_page(query: Mapping[str, str], max_per_page: int) -> tuple[int, int]:
    """Return ``(page, per_page)`` from the query; ``per_page`` is clamped to the maximum."""
    page = _positive_int(query.get("page"), "page", 1)
    per_page = _positive_int(query.get("per_page"), "per_page", 25)
    return page, min(per_page, max_per_page)


def paginate(items: Sequence[Json], page: int, per_page: int) -> tuple[list[Json], Json]:
    """Return one page of items and its ``meta.pagination`` object."""
    total = len(items)
    last = max(1, math.ceil(total / per_page))
    chunk = list(items[(page - 1) * per_page : page * per_page])
    pagination = {
        "page": page,
        "per_page": per_page,
        "previous_page": page - 1 if page > 1 else None,
        "next_page": page + 1 if page < last else None,
        "last_page": last,
        "total_entries": total,
    }
    return chunk, pagination


def link_header(url: URL, pagination: Json) -> str | None:
    """Return the ``Link`` header (prev, next, last) for a page of a list."""
    links = []
    for rel, key in (("prev", "previous_page"), ("next", "next_page"), ("last", "last_page")):
        target = pagination[key]
        if target is not None:
            links.append(f'<{url.update_query(page=str(target))}>; rel="{rel}"')
    return ", ".join(links) or None


def _sort_key(value: Any) -> tuple[bool, Any]:
    return (value is not None, value if value is not None else 0)


def _key_for(name: str) -> Callable[[Json], tuple[bool, Any]]:
    def key(item: Json) -> tuple[bool, Any]:
        return _sort_key(item.get(name))

    return key


def sort_items(items: Sequence[Json], sorts: Sequence[str], allowed: Sequence[str]) -> list[Json]:
    """Sort by repeated ``field``, ``field:asc`` or ``field:desc`` values, first one first."""
    ordered = sorted(items, key=lambda item: item["id"])
    parsed: list[tuple[str, bool]] = []
    for raw in sorts:
        name, _, direction = raw.partition(":")
        if name not in allowed or direction not in ("", "asc", "desc"):
            raise invalid_input({"sort": [f"invalid sort value {raw!r}"]})
        parsed.append((name, direction == "desc"))
    for name, descending in reversed(parsed):
        ordered.sort(key=_key_for(name), reverse=descending)
    return ordered
