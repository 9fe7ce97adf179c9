"""The pytest plugin that gives a user's test suite a running fake Hetzner Cloud.

Fixtures: ``hetzner_fake_config`` (override it, or use ``@pytest.mark.hetzner_fake(**fields)``),
``hetzner_fake`` (a started ``FakeHetznerCloud``) and ``hetzner_client`` (a
``hetzner_async.HetznerClient`` entered against it, with ``hetzner_client_options``).
This module is loaded into every pytest run of anyone who installs the package, so it imports
only pytest at load time; aiohttp and the fake are imported when a fixture is first used.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from hetzner_async.testing.config import FakeConfig
    from hetzner_async.testing.server import FakeHetznerCloud

try:
    import pytest_asyncio
except ImportError:  # pragma: no cover - exercised only without pytest-asyncio
    pytest_asyncio = None  # type: ignore[assignment]

__all__ = [
    "hetzner_client",
    "hetzner_client_options",
    "hetzner_fake",
    "hetzner_fake_config",
    "pytest_configure",
]

#: Settings of the fixture's fake: quick actions, the real rate limit.
FAST_SETTINGS: dict[str, Any] = {"action_duration": 0.05}


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``hetzner_fake`` marker."""
    config.addinivalue_line(
        "markers",
        "hetzner_fake(**fields): FakeConfig fields for the hetzner_fake fixture, "
        "e.g. rate_limit=10 or action_duration=0.2",
    )


@pytest.fixture
def hetzner_fake_config(request: pytest.FixtureRequest) -> FakeConfig:
    """Return the fake's config: fast defaults, then the ``hetzner_fake`` marker's fields."""
    from hetzner_async.testing.config import FakeConfig

    fields = dict(FAST_SETTINGS)
    for marker in reversed(list(request.node.iter_markers("hetzner_fake"))):
        if marker.args:
            raise pytest.UsageError("@pytest.mark.hetzner_fake takes keyword arguments only")
        fields.update(marker.kwargs)
    return FakeConfig(**fields)


@pytest.fixture
def hetzner_client_options() -> dict[str, Any]:
    """Return extra keyword options for ``HetznerClient`` (override to tune retries, polling)."""
    return {}


if pytest_asyncio is not None:

    @pytest_asyncio.fixture
    async def hetzner_fake(hetzner_fake_config: FakeConfig) -> AsyncIterator[FakeHetznerCloud]:
        """Yield a fake Hetzner Cloud serving on 127.0.0.1 (``.url``, ``.token``)."""
        from hetzner_async.testing.server import FakeHetznerCloud

        async with FakeHetznerCloud(hetzner_fake_config) as fake:
            yield fake

    @pytest_asyncio.fixture
    async def hetzner_client(
        hetzner_fake: FakeHetznerCloud, hetzner_client_options: dict[str, Any]
    ) -> AsyncIterator[Any]:
        """Yield a ``HetznerClient`` talking to ``hetzner_fake``."""
        from hetzner_async import HetznerClient  # type: ignore[attr-defined,unused-ignore]

        client = HetznerClient(
            token=hetzner_fake.token, endpoint=hetzner_fake.url, **hetzner_client_options
        )
        async with client:
            yield client

else:  # pragma: no cover

    @pytest.fixture
    def hetzner_fake() -> None:
        """Explain that the fixture needs pytest-asyncio."""
        raise pytest.UsageError("the hetzner_fake fixture needs pytest-asyncio installed")

    @pytest.fixture
    def hetzner_client() -> None:
        """Explain that the fixture needs pytest-asyncio."""
        raise pytest.UsageError("the hetzner_client fixture needs pytest-asyncio installed")
