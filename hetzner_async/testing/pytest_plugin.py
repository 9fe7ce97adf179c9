"""The pytest plugin that gives a user's test suite a running fake Hetzner Cloud.

Fixtures: ``hetzner_fake_config`` (override it, or use ``@pytest.mark.hetzner_fake(**fields)``),
``hetzner_fake`` (a started ``FakeHetznerCloud``) and ``hetzner_client`` (a
``hetzner_async.HetznerClient`` entered against it, with ``hetzner_client_options``).

The fixtures need pytest-asyncio, in either mode. In ``asyncio_mode = "auto"`` every
``async def`` test runs on asyncio. In strict mode (pytest-asyncio's default) an ``async def``
test that names ``hetzner_fake`` or ``hetzner_client`` among its arguments is marked
``@pytest.mark.asyncio`` by this plugin; one that reaches them only through a fixture of its
own needs the mark itself (or ``pytestmark = pytest.mark.asyncio`` in its module), and fails
with an error saying so rather than pytest's "async def functions are not natively supported".

This module is loaded into every pytest run of anyone who installs the package, so it imports
only pytest at load time; aiohttp and the fake are imported when a fixture is first used.
"""

from __future__ import annotations

import inspect
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
    "pytest_pycollect_makeitem",
    "pytest_runtest_setup",
]

#: Settings of the fixture's fake: quick actions, the real rate limit.
FAST_SETTINGS: dict[str, Any] = {"action_duration": 0.05}

#: The fixtures that run on asyncio: a test that asks for one of them is an asyncio test.
ASYNC_FIXTURES = frozenset({"hetzner_fake", "hetzner_client"})

NEEDS_ASYNCIO_MARK = (
    "{test} is an async test that uses {fixtures} but pytest-asyncio does not run it: in "
    "strict mode (its default) an async test needs @pytest.mark.asyncio, or "
    '`pytestmark = pytest.mark.asyncio` in its module, or asyncio_mode = "auto" in the '
    "[tool.pytest.ini_options] of pyproject.toml (or pytest.ini)"
)


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``hetzner_fake`` marker."""
    config.addinivalue_line(
        "markers",
        "hetzner_fake(**fields): FakeConfig fields for the hetzner_fake fixture, "
        "e.g. rate_limit=10 or action_duration=0.2",
    )


def _asks_for_fake(obj: object) -> bool:
    """Tell whether ``obj`` is an async test function naming one of the async fixtures."""
    if not inspect.iscoroutinefunction(obj):
        return False
    try:
        parameters = inspect.signature(obj).parameters
    except (TypeError, ValueError):
        return False
    return not ASYNC_FIXTURES.isdisjoint(parameters)


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makeitem(collector: pytest.Collector, name: str, obj: object) -> None:
    """Mark an async test that names ``hetzner_fake`` or ``hetzner_client`` as asyncio.

    Runs before the test is collected, so that pytest-asyncio's strict mode sees the mark; in
    auto mode the mark changes nothing.
    """
    if pytest_asyncio is None or not name.startswith("test") or not _asks_for_fake(obj):
        return
    marks = getattr(obj, "pytestmark", [])
    if not any(getattr(mark, "name", None) == "asyncio" for mark in marks):
        pytest.mark.asyncio(obj)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Fail an async test that uses the fake but that pytest-asyncio would not run, clearly."""
    function = getattr(item, "obj", None)
    uses = ASYNC_FIXTURES.intersection(getattr(item, "fixturenames", ()))
    if not uses or not inspect.iscoroutinefunction(function):
        return
    runner = getattr(pytest_asyncio, "plugin", None)
    asyncio_item = getattr(runner, "PytestAsyncioFunction", None)
    if asyncio_item is not None and isinstance(item, asyncio_item):
        return
    if pytest_asyncio is None:
        raise pytest.UsageError(
            f"{item.nodeid} uses {', '.join(sorted(uses))}, which need pytest-asyncio: "
            "pip install pytest-asyncio"
        )
    raise pytest.UsageError(
        NEEDS_ASYNCIO_MARK.format(test=item.nodeid, fixtures=" and ".join(sorted(uses)))
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
