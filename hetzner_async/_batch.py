"""Coalesce look-ups that many tasks make at the same moment into a few batched requests."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Generic, TypeVar

from ._line import background_context
from .errors import ClientClosedError

__all__ = ["Coalescer"]

K = TypeVar("K")
V = TypeVar("V")

Batch = dict[K, list[asyncio.Future[V | None]]]


class Coalescer(Generic[K, V]):
    """Answer ``get(key)`` calls together: keys asked for in one turn of the loop share requests.

    When hundreds of waits end at the same poll tick, their follow-up look-ups are collected on
    the next turn of the event loop and fetched ``batch_size`` at a time. The fetches run in
    tasks of the coalescer's own, in a background context (they serve many callers, so no
    caller's ``rate_limit_deadline`` applies, and they go ahead of single requests in the
    governor), and ``close`` cancels them.
    """

    def __init__(
        self, fetch: Callable[[Sequence[K]], Awaitable[Mapping[K, V]]], batch_size: int
    ) -> None:
        self._fetch = fetch
        self._batch_size = batch_size
        self._pending: Batch[K, V] = {}
        self._scheduled = False
        self._tasks: dict[asyncio.Task[None], Batch[K, V]] = {}
        self._closed = False

    async def get(self, key: K) -> V | None:
        """Return the value for ``key`` (None if the fetch did not find it)."""
        if self._closed:
            raise ClientClosedError()
        loop = asyncio.get_running_loop()
        future: asyncio.Future[V | None] = loop.create_future()
        self._pending.setdefault(key, []).append(future)
        if not self._scheduled:
            self._scheduled = True
            loop.call_soon(self._flush, context=background_context())
        return await future

    def _flush(self) -> None:
        self._scheduled = False
        pending, self._pending = self._pending, {}
        if self._closed:
            _fail(pending, ClientClosedError())
            return
        keys = list(pending)
        loop = asyncio.get_running_loop()
        for start in range(0, len(keys), self._batch_size):
            batch = {key: pending[key] for key in keys[start : start + self._batch_size]}
            task = loop.create_task(self._answer(batch), context=background_context())
            self._tasks[task] = batch
            task.add_done_callback(self._forget)

    def _forget(self, task: asyncio.Task[None]) -> None:
        self._tasks.pop(task, None)

    async def _answer(self, batch: Batch[K, V]) -> None:
        try:
            found = await self._fetch(list(batch))
        except BaseException as error:  # hand every failure to the waiters, who raise it
            _fail(batch, error)
            if not isinstance(error, Exception):
                raise
            return
        for key, futures in batch.items():
            for future in futures:
                if not future.done():
                    future.set_result(found.get(key))

    async def close(self) -> None:
        """Refuse new look-ups and cancel running ones; their callers get ``ClientClosedError``."""
        self._closed = True
        pending, self._pending = self._pending, {}
        _fail(pending, ClientClosedError())
        tasks = list(self._tasks)
        for task in tasks:
            _fail(self._tasks.get(task, {}), ClientClosedError())
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)


def _fail(batch: Mapping[K, list[asyncio.Future[V | None]]], error: BaseException) -> None:
    for futures in batch.values():
        for future in futures:
            if not future.done():
                future.set_exception(error)
