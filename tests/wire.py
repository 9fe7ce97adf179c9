"""aioresponses, made to work on aiohttp 3.14, for tests that pin exact request shapes.

aioresponses 0.7.9 builds ``ClientResponse`` without the ``stream_writer`` argument that aiohttp
3.14 made required (aioresponses issue 289). Rather than hold the library back to aiohttp 3.13,
the tests hand aioresponses a response class that supplies a stand-in writer; the SDK itself runs
on the newest aiohttp. Drop this module when aioresponses ships a fix.
"""

from __future__ import annotations

import json
import types
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import aiohttp
import aioresponses.core
from aioresponses import aioresponses as _aioresponses
from yarl import URL

#: Where the SDK under test points: a loopback discard port, so nothing could leave the machine.
ENDPOINT = "http://127.0.0.1:9/v1"
TOKEN = "test-token-0123456789abcdef"


class _CompatResponse(aiohttp.ClientResponse):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("stream_writer", types.SimpleNamespace(output_size=0))
        super().__init__(*args, **kwargs)


@contextmanager
def mocked_api() -> Iterator[_aioresponses]:
    """Intercept every aiohttp request; unmatched requests fail instead of leaving."""
    with (
        mock.patch.object(aioresponses.core, "ClientResponse", _CompatResponse),
        _aioresponses() as m,
    ):
        yield m


def sent(m: _aioresponses) -> list[tuple[str, str, list[tuple[str, str]], Any]]:
    """Return every request seen: (method, path, query pairs, decoded JSON body or None)."""
    out = []
    for (method, url), calls in m.requests.items():
        for call in calls:
            data = call.kwargs.get("data")
            params = call.kwargs.get("params") or []
            # The transport passes the query as pairs; aioresponses' URL key sorts them.
            query = [(k, str(v)) for k, v in params]
            out.append((method, URL(url).path, query, None if data is None else json.loads(data)))
    return out


def rate_limit_headers(limit: int, remaining: int, reset: int) -> dict[str, str]:
    """Build the three rate-limit headers of a response."""
    return {
        "RateLimit-Limit": str(limit),
        "RateLimit-Remaining": str(remaining),
        "RateLimit-Reset": str(reset),
    }
