"""The live status line: redrawn in place on a terminal, a line per interval in a log."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TextIO

from hetzner_async import HetznerClient

from .progress import Progress


class Display:
    """Show the status line: redrawn in place on a terminal, a plain line per interval otherwise."""

    def __init__(self, out: TextIO, *, quiet: bool, interval: float) -> None:
        self.out = out
        self.quiet = quiet
        self.tty = out.isatty()
        self.interval = 0.2 if self.tty else interval
        self._drawn = False
        self._last = ""

    def say(self, text: str) -> None:
        """Print a message on its own line (above the status line on a terminal)."""
        if self._drawn:
            self.out.write("\r\x1b[K")
            self._drawn = False
        print(text, file=self.out, flush=True)

    def status(self, body: str, elapsed: float) -> None:
        """Show the status line, prefixed with the clock, unless its body did not change."""
        if self.quiet or body == self._last:
            return
        self._last = body
        line = f"[{elapsed:6.1f}s] {body}"  # CLOCK_WIDTH columns before the body
        if self.tty:
            # A line wider than the terminal wraps, and "\r" would then redraw only its end.
            width = shutil.get_terminal_size().columns - 1
            self.out.write(f"\r\x1b[K{line[:width]}")
            self.out.flush()
            self._drawn = True
        else:
            print(line, file=self.out, flush=True)

    def finish(self) -> None:
        """End the status line on a terminal."""
        if self._drawn:
            self.out.write("\n")
            self.out.flush()
            self._drawn = False

    @asynccontextmanager
    async def live(self, progress: Progress, hz: HetznerClient) -> AsyncIterator[None]:
        """Refresh the status line in the background for the duration of the block."""

        async def refresh() -> None:
            while True:
                self.status(progress.line(hz), progress.elapsed)
                await asyncio.sleep(self.interval)

        task = asyncio.create_task(refresh())
        try:
            yield
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            self.status(progress.line(hz), progress.elapsed)
            self.finish()
