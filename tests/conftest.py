"""Shared fixtures: a client pointed at a loopback endpoint, with aioresponses intercepting."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from aioresponses import aioresponses

from hetzner_async import HetznerClient, PollPolicy, RetryPolicy

from .wire import ENDPOINT, TOKEN, mocked_api


@pytest.fixture
def api() -> Iterator[aioresponses]:
    """Intercept the SDK's HTTP requests (aioresponses, made aiohttp-3.14 safe)."""
    with mocked_api() as m:
        yield m


@pytest.fixture
async def hz(api: aioresponses) -> AsyncIterator[HetznerClient]:
    """A strict client against the intercepted endpoint, with no retry waits worth noticing."""
    client = HetznerClient(
        TOKEN,
        endpoint=ENDPOINT,
        strict=True,
        retry=RetryPolicy(base=0.001, cap=0.001),
        poll=PollPolicy(initial=0.001, cap=0.001),
    )
    async with client:
        yield client


def pytest_make_parametrize_id(config: pytest.Config, val: object, argname: str) -> str | None:
    """Keep ``::`` (IPv6) out of test ids: a node id with it cannot be run by name (mutmut does)."""
    if isinstance(val, str) and "::" in val:
        return val.replace("::", ": :")
    return None
