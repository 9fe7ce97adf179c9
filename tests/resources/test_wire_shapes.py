"""Each public resource method sends exactly the method, path, query and body the API expects."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aioresponses import aioresponses

from hetzner_async import HetznerClient
from hetzner_async.resources._base import CREATE_MARKER

from ..wire import sent
from .cases import CASES, WireCase


def _register(api: aioresponses, case: WireCase) -> None:
    pattern = re.compile(r"^http://127\.0\.0\.1:9" + re.escape(case.path) + r"(\?.*)?$")
    api.add(pattern, case.method, status=case.status, payload=case.response)


def _without_marker(request: tuple[str, str, Any, Any]) -> tuple[str, str, Any, Any]:
    """Check and drop the random create marker that every create adds to its labels."""
    method, path, query, body = request
    if method == "POST" and isinstance(body, dict) and "labels" in body:
        marker = body["labels"].pop(CREATE_MARKER)
        assert re.fullmatch(r"[0-9a-f]{32}", marker)
    return method, path, query, body


async def _call(hz: HetznerClient, case: WireCase) -> Any:
    target: Any = hz
    for part in case.call.split("."):  # "zones.rrsets.create": a nested group
        target = getattr(target, part)
    result = target(*case.args, **case.kwargs)
    if isinstance(result, AsyncIterator):
        return [item async for item in result]
    return await result


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
async def test_method_sends_exact_request(
    hz: HetznerClient, api: aioresponses, case: WireCase
) -> None:
    """The request on the wire is exactly the one in the table, and the answer structures."""
    _register(api, case)
    result = await _call(hz, case)
    assert [_without_marker(request) for request in sent(api)] == [
        (case.method, case.path, case.query, case.body)
    ]
    if case.response is None:
        assert result is None
    else:
        assert result is not None


async def test_requests_carry_auth_user_agent_and_json_headers(
    hz: HetznerClient, api: aioresponses
) -> None:
    """Every request is authenticated, names the SDK, and declares JSON only when it has a body."""
    case = next(c for c in CASES if c.call == "ssh_keys.create")
    _register(api, case)
    await _call(hz, case)
    (call,) = next(iter(api.requests.values()))
    headers = call.kwargs["headers"]
    assert headers["Authorization"].startswith("Bearer ")
    assert headers["User-Agent"].startswith("hetzner-async/")
    assert headers["Accept"] == "application/json"
    assert headers["Content-Type"] == "application/json"
