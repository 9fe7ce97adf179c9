"""Fixtures of the interop tests: the standalone fake as its own process, the official clients."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hcloud import Client

from .cli import HcloudCli, find_hcloud
from .standalone import StandaloneFake, standalone_fake


@pytest.fixture(scope="session")
def standalone() -> Iterator[StandaloneFake]:
    """One ``python -m hetzner_async.testing serve`` process for the whole interop suite."""
    with standalone_fake() as running:
        yield running


@pytest.fixture
def fake(standalone: StandaloneFake) -> StandaloneFake:
    """The standalone fake, emptied (``POST /_fake/reset``) before the test."""
    standalone.reset()
    return standalone


@pytest.fixture
def hcloud_client(fake: StandaloneFake) -> Client:
    """The official Python client pointed at the fake; it polls actions every 10 ms."""
    return Client(token=fake.token, api_endpoint=fake.url, poll_interval=0.01, timeout=10)


@pytest.fixture(scope="session")
def hcloud_binary() -> str:
    """The official CLI's path, installed from the system's packages first if missing."""
    binary = find_hcloud()
    if binary is None:
        pytest.skip(
            "the hcloud CLI is not installed and tests/interop/ensure_hcloud.sh could not install "
            "it (needs apt-get, dnf, apk or brew, and root or password-less sudo)"
        )
    return binary


@pytest.fixture
def cli(hcloud_binary: str, fake: StandaloneFake, tmp_path: Path) -> HcloudCli:
    """``hcloud`` with HCLOUD_TOKEN/HCLOUD_ENDPOINT on the fake and an empty HCLOUD_CONFIG."""
    return HcloudCli.for_fake(hcloud_binary, fake.url, fake.token, tmp_path / "cli.toml")
