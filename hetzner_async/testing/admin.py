"""The ``/_fake`` admin endpoints: state, stats, faults, scripted action failures, reset.

They sit outside ``/v1``: no token, no rate limit, no faults.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from .backend import BACKEND, Backend
from .faults import Fault

__all__ = ["routes"]


def backend(request: web.Request) -> Backend:
    """Return the fake serving this request."""
    return request.app[BACKEND]


async def _json(request: web.Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.read() or b"{}")
    except ValueError:
        raise web.HTTPBadRequest(text="invalid JSON") from None
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text="expected a JSON object")
    return body


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
    body = await _json(request)
    try:
        fault = Fault.from_json(body)
    except (TypeError, ValueError) as exc:
        raise web.HTTPBadRequest(text=str(exc)) from None
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
    body = await _json(request)
    allowed = {"command", "code", "message", "resource_id", "times"}
    if set(body) - allowed:
        raise web.HTTPBadRequest(text=f"unknown fields: {sorted(set(body) - allowed)}")
    script = backend(request).state.fail_next_action(**body)
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
