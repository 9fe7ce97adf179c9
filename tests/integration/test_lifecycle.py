"""Closing a client while requests are on the wire, against the fake over loopback."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from hetzner_async import HetznerClient, RetryPolicy
from hetzner_async.errors import ClientClosedError
from hetzner_async.testing import FakeConfig, FakeHetznerCloud


@pytest.fixture
def fake_config() -> FakeConfig:
    return FakeConfig(rate_limit=None, latency=0.3)


@pytest.mark.parametrize(
    ("method", "path", "body", "applied"),
    [
        ("GET", "/servers", None, False),
        ("POST", "/ssh_keys", {"name": "k", "public_key": "ssh-ed25519 AAAA k"}, True),
    ],
)
async def test_a_request_on_the_wire_at_close_ends_in_client_closed_error(
    make_client: Callable[..., HetznerClient],
    fake: FakeHetznerCloud,
    method: str,
    path: str,
    body: dict[str, str] | None,
    applied: bool,
) -> None:
    hz = make_client(retry=RetryPolicy(base=0.01, cap=0.01))
    await hz.__aenter__()
    call = asyncio.create_task(hz.request(method, path, json=body))
    await asyncio.sleep(0.1)  # sent, and the fake is still thinking
    await hz.close()
    with pytest.raises(ClientClosedError) as raised:
        await call
    assert raised.value.in_flight
    assert f"{method} {path}" in str(raised.value)
    assert ("may have been applied" in str(raised.value)) is applied
