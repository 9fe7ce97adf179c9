"""An event loop whose clock jumps ahead instead of sleeping, for retry and polling timing tests.

When nothing is ready to run, the loop would block in its selector until the next timer; here
the selector advances the loop's clock to that timer instead, so ``asyncio.sleep(30)`` returns at
once while ``loop.time()`` moves 30 s. Only for tests without real sockets (aioresponses).
"""

from __future__ import annotations

import asyncio
import selectors
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

T = TypeVar("T")


class _JumpingSelector(selectors.DefaultSelector):  # type: ignore[misc,valid-type]
    def __init__(self, start: float = 0.0) -> None:
        super().__init__()
        self.now = start

    def select(self, timeout: float | None = None) -> list[Any]:
        events = super().select(0)
        if events:
            return events
        if timeout is None:
            return super().select(None)  # no timer at all: only I/O can wake the loop
        self.now += max(0.0, timeout)
        return []


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    """A selector loop whose ``time()`` only moves when every task is waiting on a timer."""

    def __init__(self, start: float = 0.0) -> None:
        self._jumping = _JumpingSelector(start)
        super().__init__(self._jumping)

    def time(self) -> float:
        return self._jumping.now


def run_virtual(main: Callable[[], Awaitable[T]], *, start: float = 0.0) -> tuple[T, float]:
    """Run ``main()`` on a virtual-time loop; return its result and the virtual seconds spent.

    ``start``: the loop's clock at the start (a clock at 0 hides ``now - t`` read as ``now + t``).
    """
    loop = VirtualTimeLoop(start)
    try:
        start = loop.time()
        result = loop.run_until_complete(main())
        return result, loop.time() - start
    finally:
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
