"""List endpoints: ``name`` and ``label_selector`` from the table's indexes, filters, sort, pages.

https://docs.hetzner.cloud/reference/cloud#pagination, #sorting and #label-selector. Query
parameters an endpoint does not know are ignored, as the real API ignores them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from aiohttp import web
from multidict import MultiMapping

from ..errors import invalid_input
from ..labels import LabelSelector, LabelSelectorError, parse_selector
from ..query import link_header, paginate, parse_page, sort_items
from .http import json_response, project_of
from .project import Project
from .registry import Kind
from .table import Json

__all__ = [
    "Filter",
    "boolean",
    "equals",
    "label_selector",
    "list_handler",
    "list_response",
    "one_of",
    "select",
]

Handler = Callable[[web.Request], Awaitable[web.Response]]
#: Narrow a list by query parameters (``status=running``); return the items that stay.
Filter = Callable[[MultiMapping[str], list[Json]], list[Json]]


def label_selector(query: MultiMapping[str]) -> LabelSelector | None:
    """Return the parsed ``label_selector`` query parameter, if there is one."""
    text = query.get("label_selector")
    if text is None:
        return None
    try:
        return parse_selector(text)
    except LabelSelectorError as exc:
        raise invalid_input({"label_selector": [str(exc)]}) from None


def select(project: Project, kind: str, query: MultiMapping[str]) -> list[Json]:
    """Return the resources of a kind that ``name`` and ``label_selector`` pick, via indexes."""
    table = project.tables[kind]
    name = query.get("name")
    selector = label_selector(query) if project.kind(kind).labels else None
    if name is not None:
        items = table.named(name)
        if selector is not None:
            items = [i for i in items if selector.matches(i.get("labels") or {})]
        return items
    if selector is not None:
        return table.matching(selector)
    return list(table.values())


def list_response(
    request: web.Request,
    key: str,
    items: list[Json],
    sortable: Sequence[str],
    *,
    transform: Callable[[Json], Json] | None = None,
    extra: Json | None = None,
) -> web.Response:
    """Sort and page a list, answering ``{key: [...], meta: {pagination}}`` with a Link header.

    ``extra`` adds top-level fields (``GET /datacenters`` has a ``recommendation``).
    """
    ordered = sort_items(items, request.query.getall("sort", []), sortable)
    page, per_page = parse_page(request.query, project_of(request).max_per_page)
    chunk, pagination = paginate(ordered, page, per_page)
    if transform is not None:
        chunk = [transform(item) for item in chunk]
    response = json_response({key: chunk, **(extra or {}), "meta": {"pagination": pagination}})
    link = link_header(request.url, pagination)
    if link is not None:
        response.headers["Link"] = link
    return response


def list_handler(
    kind: Kind, *filters: Filter, extra: Callable[[Project], Json] | None = None
) -> Handler:
    """Return ``GET /<collection>``: name, label selector, these filters, sort and pages.

    ``extra(project)`` returns top-level fields to add beside the list.
    """

    async def handler(request: web.Request) -> web.Response:
        project = project_of(request)
        project.refresh()
        items = select(project, kind.name, request.query)
        for keep in filters:
            items = keep(request.query, items)
        more = None if extra is None else extra(project)
        return list_response(request, kind.collection, items, kind.sortable, extra=more)

    handler.__doc__ = f"GET /{kind.collection}."
    return handler


def one_of(param: str, allowed: Sequence[str], field: str | None = None) -> Filter:
    """Keep items whose ``field`` is one of the repeated ``param`` values (each must be allowed)."""
    key = field or param

    def keep(query: MultiMapping[str], items: list[Json]) -> list[Json]:
        wanted = query.getall(param, [])
        for value in wanted:
            if value not in allowed:
                raise invalid_input({param: [f"invalid {param} {value!r}"]})
        return [item for item in items if item.get(key) in wanted] if wanted else items

    return keep


def equals(param: str, field: str | None = None) -> Filter:
    """Keep items whose ``field`` (as text) is one of the repeated ``param`` values."""
    key = field or param

    def keep(query: MultiMapping[str], items: list[Json]) -> list[Json]:
        wanted = set(query.getall(param, []))
        if not wanted:
            return items
        return [item for item in items if _text(item.get(key)) in wanted]

    return keep


def boolean(param: str, keep_if: Callable[[Json, bool], bool], default: bool) -> Filter:
    """Keep items ``keep_if(item, value)`` accepts, for a ``true``/``false`` query parameter."""

    def keep(query: MultiMapping[str], items: list[Json]) -> list[Json]:
        raw = query.get(param)
        if raw is None:
            value = default
        elif raw.lower() in ("true", "false"):
            value = raw.lower() == "true"
        else:
            raise invalid_input({param: ["must be true or false"]})
        return [item for item in items if keep_if(item, value)]

    return keep


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
