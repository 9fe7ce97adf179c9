"""The coalescer: look-ups made in one turn of the loop share batched fetches."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence

import pytest

from hetzner_async._batch import Coalescer


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
