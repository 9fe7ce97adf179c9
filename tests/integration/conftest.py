"""The SDK against the fake cloud over loopback, every response checked against the spec."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from hetzner_async import HetznerClient, PollPolicy, RetryPolicy
from hetzner_async.testing import FakeConfig, FakeHetznerCloud

from ..spec_recorder import SpecRecorder

#: Fast but real: actions take 50 ms, the client polls every 10-50 ms and backs off 10 ms.
FAST_POLL = PollPolicy(initial=0.01, factor=1.5, cap=0.05)
FAST_RETRY = RetryPolicy(base=0.01, cap=0.05)


@pytest.fixture
def spec_recorder() -> SpecRecorder:
    return SpecRecorder()


@pytest.fixture
def fake_config(spec_recorder: SpecRecorder) -> FakeConfig:
    """Override per module or test (``@pytest.mark.parametrize`` or a local fixture)."""
    return FakeConfig(action_duration=0.05, on_response=spec_recorder)


@pytest.fixture
async def fake(
    fake_config: FakeConfig, spec_recorder: SpecRecorder
) -> AsyncIterator[FakeHetznerCloud]:
    async with FakeHetznerCloud(fake_config) as running:
        yield running
    assert running.internal_errors == []
    assert spec_recorder.violations == []


@pytest.fixture
def make_client(fake: FakeHetznerCloud) -> Callable[..., HetznerClient]:
    def make(**options: Any) -> HetznerClient:
        defaults: dict[str, Any] = {"strict": True, "poll": FAST_POLL, "retry": FAST_RETRY}
        defaults.update(options)
        return HetznerClient(fake.token, endpoint=fake.url, **defaults)

    return make


@pytest.fixture
async def hz(make_client: Callable[..., HetznerClient]) -> AsyncIterator[HetznerClient]:
    async with make_client() as client:
        yield client
