"""The aiohttp application: the registry's routes, and the middleware every ``/v1`` request passes.

Order per request: correlation id → rate limit (429 consumes nothing) → token (401) → latency
and faults → ``tick`` (end due actions) → handler → headers, counters, ``on_response`` hook →
faults that break an already committed response (drop, truncate, malformed, slow).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

from aiohttp import web

from . import admin
from .backend import BACKEND, Backend
from .core import HOST
from .errors import ApiError
from .faults import Fault, FaultKind
from .stats import ResponseRecord

__all__ = ["build_app"]

_log = logging.getLogger(__name__)
API_PREFIX = "/v1"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

_CODES_BY_STATUS = {
    400: "json_error",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "invalid_input",
    422: "invalid_input",
    423: "locked",
    429: "rate_limit_exceeded",
    500: "server_error",
    502: "bad_gateway",
    503: "unavailable",
    504: "timeout",
}


def _template(request: web.Request) -> str | None:
    resource = request.match_info.route.resource
    if resource is None:
        return None
    canonical = resource.canonical
    return canonical[len(API_PREFIX) :] if canonical.startswith(API_PREFIX) else canonical


def _bearer(request: web.Request) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def _error(status: int, code: str, message: str) -> web.Response:
    return web.json_response(ApiError(status, code, message).envelope(), status=status)


def _fault_response(fault: Fault) -> web.Response:
    if fault.envelope:
        return _error(fault.status, fault.code, fault.message)
    try:
        reason = HTTPStatus(fault.status).phrase
    except ValueError:
        reason = ""
    title = f"{fault.status} {reason}".strip()
    html = (
        f"<html><head><title>{title}</title></head><body><center><h1>{title}</h1></center>"
        "<hr><center>nginx</center></body></html>\n"
    )
    return web.Response(status=fault.status, text=html, content_type="text/html")


def _drop(request: web.Request) -> web.Response:
    if request.transport is not None:
        request.transport.close()
    return web.Response(status=499)


def _body_of(response: web.StreamResponse) -> Any:
    if not isinstance(response, web.Response) or response.content_type != "application/json":
        return None
    raw = response.body
    if not isinstance(raw, bytes | bytearray) or not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


async def _send_broken(
    request: web.Request, response: web.Response, fault: Fault, fake: Backend
) -> web.StreamResponse:
    body = response.body if isinstance(response.body, bytes) else b""
    if fault.kind is FaultKind.MALFORMED:
        response.body = body[: len(body) // 2] if len(body) > 2 else b'{"error": '
        return response
    stream = web.StreamResponse(status=response.status, headers=response.headers)
    stream.content_length = len(body)
    await stream.prepare(request)
    if fault.kind is FaultKind.TRUNCATE:
        await stream.write(body[: len(body) // 2])
        return _drop(request)
    pieces = 4
    step = max(1, -(-len(body) // pieces))
    pause = fake.faults.delay_of(fault) / pieces
    for offset in range(0, len(body), step):
        await asyncio.sleep(pause)
        await stream.write(body[offset : offset + step])
    await stream.write_eof()
    return stream


async def _hang(request: web.Request, fault: Fault, fake: Backend) -> web.Response:
    delay = fake.faults.delay_of(fault)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(fake.closing.wait(), timeout=delay if delay > 0 else None)
    return _drop(request)


def _http_exception(request: web.Request, exc: web.HTTPException) -> web.Response:
    status = exc.status
    code = _CODES_BY_STATUS.get(status, "invalid_input" if status < 500 else "server_error")
    messages = {404: "not found", 405: f"method {request.method} is not allowed here"}
    return _error(status, code, messages.get(status, exc.reason))


@web.middleware
async def api_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Apply rate limit, auth, faults, lazy time, counters and headers to ``/v1`` requests."""
    if not (request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/")):
        return await handler(request)
    fake = request.app[BACKEND]
    method = request.method
    template = _template(request)
    headers = {"X-Correlation-Id": secrets.token_hex(8)}
    fault: Fault | None = None
    response: web.StreamResponse
    try:
        token = _bearer(request)
        limit = fake.limiter.check(token or f"anonymous:{request.remote}")
        if limit is not None:
            headers.update(limit.headers())
            if not limit.allowed:
                fake.stats.rate_limited += 1
                raise ApiError(
                    429, "rate_limit_exceeded", "rate limit exceeded, please retry later"
                )
        if token is None or not fake.config.accepts(token):
            raise ApiError(401, "unauthorized", "unable to authenticate")
        delay = fake.latency()
        latencies, fault = fake.faults.select(method, template)
        for latency in latencies:
            fake.stats.faults[str(latency.kind)] += 1
            delay += fake.faults.delay_of(latency)
        if delay > 0:
            await asyncio.sleep(delay)
        if fault is not None:
            fake.stats.faults[str(fault.kind)] += 1
            if fault.kind is FaultKind.ERROR:
                response = _fault_response(fault)
                return _finish(request, fake, response, headers, template, fault)
            if fault.kind is FaultKind.DROP_BEFORE:
                fake.stats.record(method, template, 499)
                return _drop(request)
            if fault.kind is FaultKind.HANG:
                fake.stats.record(method, template, 499)
                return await _hang(request, fault, fake)
        fake.state.tick(progress=False)
        response = await handler(request)
    except ApiError as exc:
        response = web.json_response(exc.envelope(), status=exc.status)
    except web.HTTPException as exc:
        response = _http_exception(request, exc)
    except asyncio.CancelledError:
        raise
    except Exception as exc:
        _log.exception("fake Hetzner Cloud: internal error on %s %s", method, request.path)
        fake.internal_errors.append(exc)
        response = _error(500, "server_error", f"internal error in the fake: {exc!r}")
    response = _finish(request, fake, response, headers, template, fault)
    if fault is not None and isinstance(response, web.Response):
        if fault.kind is FaultKind.DROP_AFTER:
            return _drop(request)
        if fault.kind in (FaultKind.TRUNCATE, FaultKind.MALFORMED, FaultKind.SLOW):
            return await _send_broken(request, response, fault, fake)
    return response


def _finish(
    request: web.Request,
    fake: Backend,
    response: web.StreamResponse,
    headers: dict[str, str],
    template: str | None,
    fault: Fault | None,
) -> web.StreamResponse:
    response.headers.update(headers)
    fake.stats.record(request.method, template, response.status)
    hook = fake.config.on_response
    if hook is not None:
        record = ResponseRecord(
            method=request.method,
            path=request.path[len(API_PREFIX) :] or "/",
            template=template,
            status=response.status,
            headers=dict(response.headers),
            body=_body_of(response),
            fault=fault if fault is not None and fault.kind is not FaultKind.LATENCY else None,
        )
        try:
            hook(record)
        except Exception as exc:
            _log.exception("fake Hetzner Cloud: on_response hook failed")
            fake.internal_errors.append(exc)
    return response


def _route_order(route: web.AbstractRouteDef) -> tuple[int, int, str]:
    """Order routes: shorter paths first, then more literal segments, then by path.

    Literal segments win (``/zones/actions`` before ``/zones/{id_or_name}``: aiohttp 3.9 tries
    routes in the order they were added), the methods of one path are added together (one
    resource), and ``/servers`` is tried before the dozens of ``/servers/{id}/...`` routes.
    """
    path = route.path if isinstance(route, web.RouteDef) else ""
    parts = [part for part in path.split("/") if part]
    return len(parts), -sum(1 for part in parts if "{" not in part), path


def build_app(fake: Backend) -> web.Application:
    """Return the aiohttp application serving ``/v1`` and the ``/_fake`` admin endpoints."""
    app = web.Application(middlewares=[api_middleware])
    app[BACKEND] = fake
    app[HOST] = fake
    app.add_routes(sorted(fake.registry.route_defs, key=_route_order))
    app.add_routes(admin.routes())
    return app
