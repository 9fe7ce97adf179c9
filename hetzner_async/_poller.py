"""One action poller per client: every task waiting for actions shares one batched loop.

Polling is not retrying: the poll interval policy lives here, apart from the transport's retry
policy. Each tick asks ``GET /actions?id=..`` for at most 25 pending IDs per request, so N
waiting tasks cost ceil(N/25) requests a tick instead of N (hcloud-go's action_waiter batches the
same way: more than 25 IDs in one request may silently come back incomplete).
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import random
from collections.abc import Awaitable, Callable, Iterable, Sequence

import attrs

from .errors import (
    ActionFailedError,
    ActionTimeoutError,
    ClientClosedError,
    HetznerError,
    UnknownActionStatusError,
)
from .models import Action, ActionStatus

__all__ = ["DEFAULT_DEADLINES", "BATCH_SIZE", "ActionPoller", "PollPolicy", "default_deadline"]

logger = logging.getLogger("hetzner_async")

#: The most IDs one ``GET /actions`` request may carry.
BATCH_SIZE = 25

#: Seconds to wait for an action by command when the caller gives no timeout. The official
#: clients give up after ~2 minutes, but creates from custom images and rebuilds can take more
#: than 10 minutes (terraform-provider-hcloud #312, ansible hetzner.hcloud #488).
DEFAULT_DEADLINES: dict[str, float] = {
    "create_server": 1800.0,
    "rebuild_server": 1800.0,
    "change_server_type": 1800.0,
    "create_image": 3600.0,
    "delete_server": 600.0,
    "start_server": 600.0,
}
#: Seconds for every other command (power actions, firewalls, rescue, ISO...).
FALLBACK_DEADLINE = 300.0


def default_deadline(actions: Iterable[Action]) -> float:
    """Return the wait deadline that fits the slowest of these actions."""
    return max(
        (DEFAULT_DEADLINES.get(action.command, FALLBACK_DEADLINE) for action in actions),
        default=FALLBACK_DEADLINE,
    )


@attrs.frozen
class PollPolicy:
    """How often the poller asks: short at first, backing off to a cap, with jitter."""

    #: Seconds before the first poll after new actions arrive.
    initial: float = attrs.field(default=0.5, validator=attrs.validators.gt(0))
    #: Growth of the interval after each poll.
    factor: float = attrs.field(default=1.5, validator=attrs.validators.ge(1))
    #: Longest interval in seconds.
    cap: float = attrs.field(default=5.0, validator=attrs.validators.gt(0))
    #: Relative jitter: each interval is scaled by a random factor in [1 - jitter, 1 + jitter].
    jitter: float = attrs.field(
        default=0.1, validator=attrs.validators.and_(attrs.validators.ge(0), attrs.validators.lt(1))
    )

    def interval(self, tick: int, rng: random.Random) -> float:
        """Return the seconds to sleep before poll number ``tick`` (from 0) of a busy spell."""
        base = min(self.cap, self.initial * self.factor**tick)
        return base * rng.uniform(1 - self.jitter, 1 + self.jitter)


Fetch = Callable[[Sequence[int]], Awaitable[list[Action]]]


class ActionPoller:
    """Serve every waiter of a client from one loop; idle when nobody waits."""

    def __init__(self, fetch: Fetch, policy: PollPolicy, rng: random.Random | None = None) -> None:
        self._fetch = fetch
        self._policy = policy
        self._rng = rng or random.Random()
        self._waiters: dict[int, list[asyncio.Future[Action]]] = {}
        self._latest: dict[int, Action] = {}
        self._arrived = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        #: Requests this poller has sent (for tests and benchmarks).
        self.requests = 0

    async def wait(self, actions: Sequence[Action], timeout: float | None) -> list[Action]:
        """Wait until every action ends; return their final states in the given order.

        Fails fast: the first action seen ending in error raises ``ActionFailedError``.
        """
        deadline = default_deadline(actions) if timeout is None else timeout
        loop = asyncio.get_running_loop()
        futures: list[asyncio.Future[Action]] = []
        for action in actions:
            future: asyncio.Future[Action] = loop.create_future()
            if action.done:
                self._settle(future, action)
            else:
                self._latest.setdefault(action.id, action)
                self._waiters.setdefault(action.id, []).append(future)
                self._arrived.set()
            futures.append(future)
        if self._waiters:
            self._ensure_running()
        try:
            async with asyncio.timeout(deadline):
                await asyncio.wait(futures, return_when=asyncio.FIRST_EXCEPTION)
            for future in futures:
                if future.done() and future.exception() is not None:
                    raise future.exception()  # type: ignore[misc]
            return [future.result() for future in futures]
        except TimeoutError:
            running = [a for a, f in zip(actions, futures, strict=True) if not f.done()]
            raise ActionTimeoutError(
                self._latest.get(running[0].id, running[0]), deadline
            ) from None
        finally:
            for future in futures:
                future.cancel()  # no-op when done; a cancelled waiter leaves the batch

    @staticmethod
    def _settle(future: asyncio.Future[Action], action: Action) -> None:
        if future.done():
            return
        if action.status is ActionStatus.ERROR:
            future.set_exception(ActionFailedError(action))
        elif action.status is not ActionStatus.SUCCESS:
            # A status the API added since this SDK was released: not a success to report.
            future.set_exception(UnknownActionStatusError(action))
        else:
            future.set_result(action)

    def _ensure_running(self) -> None:
        if self._task is None or self._task.done():
            # An empty context: the loop serves every waiter, so nothing of the task that
            # happened to start it (a ``rate_limit_deadline``, say) may bind its requests.
            self._task = asyncio.get_running_loop().create_task(
                self._serve(), name="hetzner_async action poller", context=contextvars.Context()
            )

    def _pending(self) -> list[int]:
        """Return IDs someone still waits for, dropping those whose waiters all left."""
        for action_id in list(self._waiters):
            live = [f for f in self._waiters[action_id] if not f.done()]
            if live:
                self._waiters[action_id] = live
            else:
                del self._waiters[action_id]
                self._latest.pop(action_id, None)
        return list(self._waiters)

    async def _serve(self) -> None:
        """Run the loop; if it stops for any reason but idleness, fail its waiters at once."""
        try:
            await self._run()
        except asyncio.CancelledError:
            self._fail(list(self._waiters), ClientClosedError("the action poller was cancelled"))
            raise
        except BaseException as error:
            logger.error("the action poller stopped: %r", error)
            self._fail(list(self._waiters), error)
            if not isinstance(error, Exception):
                raise

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        tick = 0
        due = loop.time() + self._policy.interval(tick, self._rng)
        while True:
            self._arrived.clear()
            delay = due - loop.time()
            if delay > 0:
                try:
                    await asyncio.wait_for(self._arrived.wait(), delay)
                except TimeoutError:
                    pass
                else:
                    # New actions: poll soon, but never later than already planned, so a steady
                    # stream of arrivals cannot starve the actions already waiting.
                    tick = 0
                    due = min(due, loop.time() + self._policy.interval(tick, self._rng))
                    continue
            pending = self._pending()
            if not pending:
                return  # idle: no requests until someone waits again
            await asyncio.gather(
                *(
                    self._poll(pending[i : i + BATCH_SIZE])
                    for i in range(0, len(pending), BATCH_SIZE)
                )
            )
            tick += 1
            due = loop.time() + self._policy.interval(tick, self._rng)

    async def _poll(self, ids: Sequence[int]) -> None:
        self.requests += 1
        try:
            actions = await self._fetch(ids)
        except HetznerError as error:
            # The transport already retried what is transient; tell the waiters.
            self._fail(ids, error)
            return
        by_id = {action.id: action for action in actions}
        for action_id in ids:
            action = by_id.get(action_id)
            if action is None:
                self._fail([action_id], HetznerError(f"action {action_id} vanished from the API"))
            else:
                self._latest[action_id] = action
                if action.done:
                    self._resolve(action_id, action)

    def _resolve(self, action_id: int, action: Action) -> None:
        for future in self._waiters.pop(action_id, []):
            self._settle(future, action)
        self._latest.pop(action_id, None)

    def _fail(self, ids: Iterable[int], error: BaseException) -> None:
        for action_id in ids:
            for future in self._waiters.pop(action_id, []):
                if not future.done():
                    future.set_exception(error)
            self._latest.pop(action_id, None)

    async def close(self) -> None:
        """Stop the loop; waiters still pending fail with ``ClientClosedError``."""
        self._fail(list(self._waiters), ClientClosedError())
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
            if task.get_loop() is asyncio.get_running_loop():
                await asyncio.gather(task, return_exceptions=True)
