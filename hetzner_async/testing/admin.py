"""The ``/_fake`` admin endpoints: state, stats, faults, scripted action failures, reset.

They sit outside ``/v1``: no token, no rate limit, no faults. A bad body answers 400 with the
API's error envelope, naming the field (``details.fields``). README.md documents each endpoint.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from .admin_fields import (
    ACTION_FAILURE_FIELDS,
    FAULT_FIELDS,
    Field,
    InvalidField,
    check_fields,
)
from .backend import BACKEND, Backend
from .errors import ApiError
from .faults import Fault

__all__ = ["routes"]


def backend(request: web.Request) -> Backend:
    """Return the fake serving this request."""
    return request.app[BACKEND]


def _bad_request(code: str, message: str, field: InvalidField | None = None) -> web.HTTPBadRequest:
    """Return a 400 with the API's error envelope (naming the field, if one is wrong)."""
    details = None
    if field is not None:
        details = {"fields": [{"name": field.field, "messages": [field.problem]}]}
    envelope = ApiError(400, code, message, details).envelope()
    return web.HTTPBadRequest(text=json.dumps(envelope), content_type="application/json")


async def _json(request: web.Request, fields: Mapping[str, Field]) -> dict[str, Any]:
    """Return the body (empty: ``{}``) once its fields are checked against ``fields``."""
    try:
        body = json.loads(await request.read() or b"{}")
    except ValueError as exc:
        raise _bad_request("json_error", f"invalid JSON in request body: {exc}") from None
    if not isinstance(body, dict):
        raise _bad_request("json_error", "the request body must be a JSON object")
    try:
        return check_fields(body, fields)
    except InvalidField as exc:
        raise _bad_request("invalid_input", str(exc), exc) from None


async def get_state(request: web.Request) -> web.Response:
    """GET /_fake/state: every resource and action."""
    return web.json_response(backend(request).state.snapshot())


async def get_stats(request: web.Request) -> web.Response:
    """GET /_fake/stats: request counters, 429s and faults fired."""
    fake = backend(request)
    return web.json_response(
        {**fake.stats.to_json(), "active_faults": [f.to_json() for f in fake.faults.faults]}
    )


async def reset(request: web.Request) -> web.Response:
    """POST /_fake/reset: empty the project and forget faults, counters and buckets."""
    backend(request).reset()
    return web.Response(status=204)


async def list_faults(request: web.Request) -> web.Response:
    """GET /_fake/faults."""
    return web.json_response({"faults": [f.to_json() for f in backend(request).faults.faults]})


async def add_fault(request: web.Request) -> web.Response:
    """POST /_fake/faults: activate a fault described by the body (the ``Fault`` fields)."""
    fault = Fault(**await _json(request, FAULT_FIELDS))
    return web.json_response({"fault": backend(request).faults.add(fault).to_json()}, status=201)


async def clear_faults(request: web.Request) -> web.Response:
    """DELETE /_fake/faults: deactivate every fault."""
    backend(request).faults.clear()
    return web.Response(status=204)


async def delete_fault(request: web.Request) -> web.Response:
    """DELETE /_fake/faults/{id}: deactivate one fault."""
    backend(request).faults.remove(int(request.match_info["id"]))
    return web.Response(status=204)


async def add_action_failure(request: web.Request) -> web.Response:
    """POST /_fake/action_failures: make the next matching action end in error."""
    fields = await _json(request, ACTION_FAILURE_FIELDS)
    script = backend(request).state.fail_next_action(**fields)
    return web.json_response({"command": script.command, "times": script.times}, status=201)


def routes() -> list[web.RouteDef]:
    """Return the admin routes."""
    return [
        web.get("/_fake/state", get_state),
        web.get("/_fake/stats", get_stats),
        web.post("/_fake/reset", reset),
        web.get("/_fake/faults", list_faults),
        web.post("/_fake/faults", add_fault),
        web.delete("/_fake/faults", clear_faults),
        web.delete("/_fake/faults/{id:\\d+}", delete_fault),
        web.post("/_fake/action_failures", add_action_failure),
    ]
