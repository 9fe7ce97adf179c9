"""What every handler needs: its project, the JSON body, field checks, path ids, responses."""

from __future__ import annotations

import json
from typing import Any, Protocol

from aiohttp import web

from ..errors import ApiError, invalid_input, not_found
from ..labels import label_errors
from .project import Project
from .table import Json

__all__ = [
    "HOST",
    "Host",
    "json_response",
    "optional",
    "path_id",
    "path_resource",
    "project_of",
    "read_body",
    "ref_field",
    "require",
    "valid_labels",
]


class Host(Protocol):
    """What serves the app: it holds the current project (a reset replaces it)."""

    @property
    def state(self) -> Project:
        """Return the current project."""
        ...


HOST: web.AppKey[Host] = web.AppKey("host")


def project_of(request: web.Request) -> Project:
    """Return the project this request works on."""
    return request.app[HOST].state


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


def _type_ok(value: Any, kind: type | tuple[type, ...]) -> bool:
    if isinstance(value, bool) and bool not in _as_tuple(kind):
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


def ref_field(body: Json, name: str, *, required: bool = False) -> int | str | None:
    """Return an "ID or name" field of the body: an integer, or a string (an id or a name)."""
    if required and body.get(name) is None:
        raise invalid_input({name: ["is required"]})
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise invalid_input({name: ["must be an ID (integer) or a name (string)"]})
    return value


def valid_labels(body: Json, name: str = "labels") -> dict[str, str] | None:
    """Return the body's labels if present, rejecting invalid keys and values."""
    if name not in body:
        return None
    problems = label_errors(body[name])
    if problems:
        raise invalid_input({name: problems})
    return dict(body[name])


def path_id(request: web.Request, label: str, name: str = "id") -> int:
    """Return a path id as an int (a non-number is simply not found)."""
    raw = request.match_info[name]
    try:
        return int(raw)
    except ValueError:
        raise not_found(label, raw) from None


def path_resource(request: web.Request, kind: str) -> Json:
    """Return the resource the path names (by id; also by name where the kind allows it)."""
    project = project_of(request)
    declared = project.kind(kind)
    name = declared.path_key
    raw = request.match_info[name]
    if declared.path_names:
        found = project.find(kind, raw)
        if found is None:
            raise not_found(declared.label, raw)
        return found
    rid = path_id(request, declared.label, name)
    resource = project.tables[kind].get(rid)
    if resource is None:
        raise not_found(declared.label, rid)
    return resource
