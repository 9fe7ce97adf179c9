"""``FakeHetznerCloud``: the fake served over loopback HTTP, as an async context manager."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Any, Self

from aiohttp import web

from .app import build_app
from .backend import Backend
from .config import FakeConfig
from .core import ActionFailure, Registry
from .faults import Fault, FaultRegistry
from .state import FakeState
from .stats import ResponseRecord, Stats

__all__ = ["FakeHetznerCloud"]


class FakeHetznerCloud:
    """Serve a fake Hetzner Cloud API on 127.0.0.1 (``async with FakeHetznerCloud() as fake``)."""

    def __init__(
        self,
        config: FakeConfig | None = None,
        *,
        on_response: Callable[[ResponseRecord], None] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        registry: Registry | None = None,
    ) -> None:
        config = config or FakeConfig()
        if on_response is not None:
            config = config.with_overrides(on_response=on_response)
        self.config = config
        #: ``registry``: the resource modules to serve (default: every shipped one).
        self.backend = Backend(config, registry)
        self.app = build_app(self.backend)
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None

    # --- lifecycle -------------------------------------------------------------------------------

    async def start(self) -> Self:
        """Bind the port and start serving."""
        if self._runner is not None:
            raise RuntimeError("the fake is already running")
        runner = web.AppRunner(
            self.app, access_log=None, handler_cancellation=True, shutdown_timeout=0.5
        )
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self.port).start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self.port = int(runner.addresses[0][1])
        return self

    async def close(self) -> None:
        """Stop serving; hanging requests are released and their connections closed."""
        self.backend.closing.set()
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    async def __aenter__(self) -> Self:
        """Start the fake."""
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop the fake."""
        await self.close()

    def __repr__(self) -> str:
        running = "running" if self._runner is not None else "stopped"
        return f"<FakeHetznerCloud {self.url} {running}>"

    # --- where and who ---------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """Return ``http://127.0.0.1:<port>`` (the admin endpoints live under ``/_fake``)."""
        return f"http://{self.host}:{self.port}"

    @property
    def url(self) -> str:
        """Return the API endpoint, ``http://127.0.0.1:<port>/v1``."""
        return f"{self.base_url}/v1"

    @property
    def token(self) -> str:
        """Return the API token the fake accepts."""
        return self.config.token

    # --- introspection ---------------------------------------------------------------------------

    @property
    def state(self) -> FakeState:
        """Return the project's resources (``fake.state.servers`` is a dict of server JSON)."""
        return self.backend.state

    @property
    def stats(self) -> Stats:
        """Return the request, rate-limit and fault counters."""
        return self.backend.stats

    @property
    def faults(self) -> FaultRegistry:
        """Return the registry of active faults."""
        return self.backend.faults

    @property
    def internal_errors(self) -> list[BaseException]:
        """Return the exceptions raised inside the fake (a correct fake has none)."""
        return self.backend.internal_errors

    def sync(self) -> FakeState:
        """Apply due action effects now (as a request would) and return the state."""
        self.backend.state.tick()
        self.backend.state.refresh()
        return self.backend.state

    # --- programming it --------------------------------------------------------------------------

    def add_fault(self, fault: Fault | None = None, /, **fields: Any) -> Fault:
        """Activate a fault, given as a ``Fault`` or as its fields (``kind="error", ...``)."""
        if fault is None:
            fault = Fault(**fields)
        elif fields:
            raise TypeError("pass a Fault or its fields, not both")
        return self.backend.faults.add(fault)

    def clear_faults(self) -> None:
        """Deactivate every fault."""
        self.backend.faults.clear()

    def fail_next_action(
        self,
        command: str | None = None,
        *,
        code: str = "action_failed",
        message: str = "Action failed",
        resource_id: int | None = None,
        times: int = 1,
    ) -> ActionFailure:
        """Make the next ``times`` actions with this command (and resource) end in error."""
        return self.backend.state.fail_next_action(
            command, code=code, message=message, resource_id=resource_id, times=times
        )

    def reset(self) -> None:
        """Empty the project and forget faults, counters and rate-limit buckets."""
        self.backend.reset()
