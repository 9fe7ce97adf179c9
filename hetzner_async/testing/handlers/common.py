"""What every handler needs: the backend, the JSON body, field checks and list responses."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from aiohttp import web

from ..backend import Backend
from ..errors import ApiError, invalid_input, not_found
from ..labels import LabelSelector, LabelSelectorError, label_errors, parse_selector
from ..query import link_header, paginate, parse_page, sort_items
from ..state import Table

__all__ = [
    "BACKEND",
    "Json",
    "backend",
    "filter_by_labels",
    "filter_by_name",
    "int_id",
    "json_response",
    "label_selector",
    "list_response",
    "optional",
    "read_body",
    "require",
    "select_by_name",
    "status_filter",
    "valid_labels",
]

Json = dict[str, Any]
BACKEND = web.AppKey("backend", Backend)


def backend(request: web.Request) -> Backend:
    """Return the backend serving this request."""
    return request.app[BACKEND]


def json_response(body: Any, status: int = 200) -> web.Response:
    """Serialize a JSON response."""
    return web.json_response(body, status=status)


async def read_body(request: web.Request) -> Json:
    """Parse the request body as a JSON object (an empty body is ``{}``)."""
    raw = await request.read()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except ValueError as exc:
        raise ApiError(400, "json_error", f"invalid JSON in request body: {exc}") from None
    if not isinstance(body, dict):
        raise ApiError(400, "json_error", "the request body must be a JSON object")
    return body


def int_id(request: web.Request, kind: str, name: str = "id") -> int:
    """Return a path id as an int (a non-number is simply not found)."""
    raw = request.match_info[name]
    try:
        return int(raw)
    except ValueError:
        raise not_found(kind, raw) from None


def _type_ok(value: Any, kind: type | tuple[type, ...]) -> bool:
    if isinstance(value, bool) and kind is not bool and bool not in _as_tuple(kind):
        return False
    return isinstance(value, kind)


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def require(body: Json, name: str, kind: type | tuple[type, ...]) -> Any:
    """Return a required field of the body, checking its JSON type."""
    if name not in body or body[name] is None:
        raise invalid_input({name: ["is required"]})
    return optional(body, name, kind)


def optional(body: Json, name: str, kind: type | tuple[type, ...], default: Any = None) -> Any:
    """Return an optional field of the body, checking its JSON type."""
    value = body.get(name, default)
    if value is None:
        return default
    if not _type_ok(value, kind):
        names = " or ".join(t.__name__ for t in _as_tuple(kind))
        raise invalid_input({name: [f"must be of type {names}"]})
    return value


def valid_labels(body: Json, name: str = "labels") -> dict[str, str] | None:
    """Return the body's labels if present, rejecting invalid keys and values."""
    if name not in body:
        return None
    problems = label_errors(body[name])
    if problems:
        raise invalid_input({name: problems})
    return dict(body[name])


def label_selector(request: web.Request) -> LabelSelector | None:
    """Return the parsed ``label_selector`` query parameter, if there is one."""
    text = request.query.get("label_selector")
    if text is None:
        return None
    try:
        return parse_selector(text)
    except LabelSelectorError as exc:
        raise invalid_input({"label_selector": [str(exc)]}) from None


def filter_by_labels(items: list[Json], request: web.Request) -> list[Json]:
    """Keep the items whose labels match the ``label_selector`` query parameter."""
    selector = label_selector(request)
    if selector is None:
        return items
    return [item for item in items if selector.matches(item.get("labels", {}))]


def filter_by_name(items: list[Json], request: web.Request) -> list[Json]:
    """Keep the items whose name equals the ``name`` query parameter."""
    name = request.query.get("name")
    return items if name is None else [item for item in items if item.get("name") == name]


def select_by_name(table: Table, request: web.Request) -> list[Json]:
    """Return a table's items, only those named by the ``name`` query parameter if given."""
    name = request.query.get("name")
    return list(table.values()) if name is None else table.named(name)


def list_response(
    request: web.Request,
    key: str,
    items: list[Json],
    sortable: Sequence[str],
    *,
    transform: Callable[[Json], Json] | None = None,
) -> web.Response:
    """Sort and page a list, answering ``{key: [...], meta: {pagination}}`` with a Link header."""
    fake = backend(request)
    ordered = sort_items(items, request.query.getall("sort", []), sortable)
    page, per_page = parse_page(request.query, fake.config.max_per_page)
    chunk, pagination = paginate(ordered, page, per_page)
    if transform is not None:
        chunk = [transform(item) for item in chunk]
    response = json_response({key: chunk, "meta": {"pagination": pagination}})
    link = link_header(request.url, pagination)
    if link is not None:
        response.headers["Link"] = link
    return response


def status_filter(items: list[Json], request: web.Request, allowed: Sequence[str]) -> list[Json]:
    """Keep the items whose status is one of the repeated ``status`` query values."""
    wanted = request.query.getall("status", [])
    for value in wanted:
        if value not in allowed:
            raise invalid_input({"status": [f"invalid status {value!r}"]})
    return [item for item in items if item["status"] in wanted] if wanted else items
