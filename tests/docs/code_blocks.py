"""Find the ```python blocks of the README and the guides, and run them against a fake cloud.

A block runs as its page presents it, chosen by an HTML comment on the line before it:

- no comment: a whole program, run as ``__main__`` (it reads ``HCLOUD_ENDPOINT`` and
  ``HCLOUD_TOKEN``, which point at a fresh fake);
- ``<!-- with-client -->``: statements that use ``hz``, run inside
  ``async with HetznerClient() as hz:`` (the page says so);
- ``<!-- pytest -->``: a test module, run by pytest in an empty project;
- ``<!-- fragment -->``: part of something larger (a page says what), not run, but counted.
"""

from __future__ import annotations

import asyncio
import re
import textwrap
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from hetzner_async.testing import FakeConfig, FakeHetznerCloud

ROOT = Path(__file__).resolve().parents[2]
#: The pages whose code must run: the README and every guide and page of the site.
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
KINDS = ("script", "with-client", "pytest", "fragment")

_FENCE = re.compile(r"^```python\s*$")
_MARK = re.compile(r"^<!--\s*([\w-]+)\s*-->$")


@dataclass(frozen=True)
class Block:
    """One ```python block: where it is, how it runs, its code."""

    page: Path
    line: int
    kind: str
    code: str

    @property
    def where(self) -> str:
        """Return ``page:line`` for test ids and tracebacks."""
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def blocks(page: Path) -> list[Block]:
    """Return the python blocks of one page, each with the kind its preceding comment names."""
    found = []
    lines = page.read_text().splitlines()
    index = 0
    while index < len(lines):
        if _FENCE.match(lines[index].strip()):
            start = index
            indent = len(lines[index]) - len(lines[index].lstrip())
            previous = next((x.strip() for x in reversed(lines[:start]) if x.strip()), "")
            mark = _MARK.match(previous)
            kind = mark.group(1) if mark else "script"
            if kind not in KINDS:
                raise ValueError(f"{page}:{start + 1}: unknown block kind {kind!r}")
            index += 1
            body = []
            while not lines[index].strip().startswith("```"):
                body.append(lines[index][indent:])
                index += 1
            found.append(Block(page, start + 1, kind, "\n".join(body) + "\n"))
        index += 1
    return found


def all_blocks() -> list[Block]:
    """Return every python block of every page."""
    return [block for page in PAGES for block in blocks(page)]


def program(block: Block) -> str:
    """Return the block as a program to run as ``__main__``."""
    if block.kind != "with-client":
        return block.code
    body = textwrap.indent(block.code, " " * 8)
    return (
        "import asyncio\nfrom hetzner_async import HetznerClient\n\n"
        f"async def main():\n    async with HetznerClient() as hz:\n{body}\n"
        "asyncio.run(main())\n"
    )


@contextmanager
def fake_in_thread(config: FakeConfig) -> Iterator[FakeHetznerCloud]:
    """Serve a fake cloud from a thread of its own, so that a block may call asyncio.run."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    fake = FakeHetznerCloud(config)
    try:
        asyncio.run_coroutine_threadsafe(fake.__aenter__(), loop).result(30)
        try:
            yield fake
        finally:
            done = asyncio.run_coroutine_threadsafe(fake.__aexit__(None, None, None), loop)
            done.result(30)
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(30)
        loop.close()
