"""Coalesce look-ups that many tasks make at the same moment into a few batched requests."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Generic, TypeVar

__all__ = ["Coalescer"]

K = TypeVar("K")
V = TypeVar("V")


class Coalescer(Generic[K, V]):
    """Answer ``get(key)`` calls together: keys asked for in one turn of the loop share requests.

    When hundreds of waits end at the same poll tick, their follow-up look-ups are collected on
    the next turn of the event loop and fetched ``batch_size`` at a time.
    """

    def __init__(
        self, fetch: Callable[[Sequence[K]], Awaitable[Mapping[K, V]]], batch_size: int
    ) -> None:
        self._fetch = fetch
        self._batch_size = batch_size
        self._pending: dict[K, list[asyncio.Future[V | None]]] = {}
        self._scheduled = False

    async def get(self, key: K) -> V | None:
        """Return the value for ``key`` (None if the fetch did not find it)."""
        future: asyncio.Future[V | None] = asyncio.get_running_loop().create_future()
        self._pending.setdefault(key, []).append(future)
        if not self._scheduled:
            self._scheduled = True
            asyncio.get_running_loop().call_soon(self._flush)
        return await future

    def _flush(self) -> None:
        self._scheduled = False
        pending, self._pending = self._pending, {}
        keys = list(pending)
        for start in range(0, len(keys), self._batch_size):
            batch = {key: pending[key] for key in keys[start : start + self._batch_size]}
            asyncio.get_running_loop().create_task(self._answer(batch))

    async def _answer(self, batch: dict[K, list[asyncio.Future[V | None]]]) -> None:
        try:
            found = await self._fetch(list(batch))
        except BaseException as error:  # hand every failure to the waiters, who raise it
            for futures in batch.values():
                for future in futures:
                    if not future.done():
                        future.set_exception(error)
            if not isinstance(error, Exception):
                raise
            return
        for key, futures in batch.items():
            for future in futures:
                if not future.done():
                    future.set_result(found.get(key))
