"""The coalescer: look-ups made in one turn of the loop share batched fetches."""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Mapping, Sequence

import pytest

from hetzner_async._batch import Coalescer
from hetzner_async.errors import ClientClosedError


async def test_lookups_in_one_turn_share_batches_of_the_given_size() -> None:
    calls: list[list[int]] = []

    async def fetch(keys: Sequence[int]) -> Mapping[int, str]:
        calls.append(list(keys))
        return {k: f"v{k}" for k in keys if k != 7}

    batcher: Coalescer[int, str] = Coalescer(fetch, batch_size=4)
    results = await asyncio.gather(*(batcher.get(k) for k in [1, 2, 3, 4, 5, 6, 7, 1]))
    assert results == ["v1", "v2", "v3", "v4", "v5", "v6", None, "v1"]
    assert sorted(map(sorted, calls)) == [[1, 2, 3, 4], [5, 6, 7]]
    await batcher.get(9)
    assert calls[-1] == [9]


async def test_a_failed_fetch_raises_in_every_waiter_of_its_batch() -> None:
    async def fetch(keys: Sequence[int]) -> Mapping[int, str]:
        raise RuntimeError("boom")

    batcher: Coalescer[int, str] = Coalescer(fetch, batch_size=10)
    results = await asyncio.gather(batcher.get(1), batcher.get(2), return_exceptions=True)
    assert [type(r) for r in results] == [RuntimeError, RuntimeError]
    with pytest.raises(RuntimeError):
        await batcher.get(3)


_caller: contextvars.ContextVar[str] = contextvars.ContextVar("caller", default="nobody")


async def test_fetches_run_in_a_context_of_their_own() -> None:
    """A batch serves many callers: the first caller's context (its rate_limit_deadline, say)
    must not bind the others' look-ups."""
    seen: list[str] = []

    async def fetch(keys: Sequence[int]) -> Mapping[int, str]:
        seen.append(_caller.get())
        return {k: f"v{k}" for k in keys}

    batcher: Coalescer[int, str] = Coalescer(fetch, batch_size=10)

    async def caller(name: str, key: int) -> str | None:
        _caller.set(name)
        return await batcher.get(key)

    assert await asyncio.gather(caller("A", 1), caller("B", 2)) == ["v1", "v2"]
    assert seen == ["nobody"]


async def test_close_cancels_the_running_fetches_and_refuses_new_look_ups() -> None:
    started = asyncio.Event()

    async def fetch(keys: Sequence[int]) -> Mapping[int, str]:
        started.set()
        await asyncio.sleep(3600)
        return {}

    batcher: Coalescer[int, str] = Coalescer(fetch, batch_size=10)
    before = asyncio.all_tasks()
    waiter = asyncio.create_task(batcher.get(1))
    await started.wait()
    await batcher.close()
    with pytest.raises(ClientClosedError):
        await waiter
    assert [t for t in asyncio.all_tasks() - before if not t.done()] == []
    with pytest.raises(ClientClosedError):
        await batcher.get(2)
