"""One action poller per client: every task waiting for actions shares one batched loop.

Polling is not retrying: when to poll is decided here (from the forecasts of ``_forecast``),
apart from the transport's retry policy. Each poll asks ``GET /actions?id=..`` for at most 25 IDs
per request: the actions due, and in the free places those due next, so N waiting tasks cost
ceil(N/25) requests a round instead of N (hcloud-go's action_waiter batches the same way: more
than 25 IDs in one request may silently come back incomplete). Polls spend at most a share of the
rate-limit budget (``PollPolicy.budget_share``) and go ahead of single requests in the governor.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import random
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Sequence

from ._budget import UNLIMITED, Spare
from ._forecast import Forecast, PollPolicy
from ._line import background_context
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


Fetch = Callable[[Sequence[int]], Awaitable[list[Action]]]

#: Polls whose round trips are remembered: the shortest tells how far the API is.
_ROUND_TRIPS = 8
#: Seconds below which a wait is rounding, not time (a clock may not even represent it).
_RESOLUTION = 1e-6
#: What polls may spend of the budget, given the share of it they may take.
SpareBudget = Callable[[float], Spare]


def _unlimited(share: float) -> Spare:
    return UNLIMITED


class ActionPoller:
    """Serve every waiter of a client from one loop; idle when nobody waits."""

    def __init__(
        self,
        fetch: Fetch,
        policy: PollPolicy,
        rng: random.Random | None = None,
        *,
        spare: SpareBudget = _unlimited,
    ) -> None:
        self._fetch = fetch
        self._policy = policy
        self._spare = spare
        self._forecast = Forecast(policy, rng or random.Random())
        self._waiters: dict[int, list[asyncio.Future[Action]]] = {}
        self._latest: dict[int, Action] = {}
        self._arrived = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        #: Poll requests the budget share allows right now, as of ``_allowance_at``.
        self._allowance = 0.0
        self._allowance_at: float | None = None
        #: How long the latest polls took (the shortest is the least queued).
        self._round_trips: deque[float] = deque(maxlen=_ROUND_TRIPS)
        #: Requests this poller has sent (for tests and benchmarks).
        self.requests = 0

    async def wait(self, actions: Sequence[Action], timeout: float | None) -> list[Action]:
        """Wait until every action ends; return their final states in the given order.

        Fails fast: the first action seen ending in error raises ``ActionFailedError``. When the
        deadline passes, the actions still running are asked for once more (ahead of single
        requests): ``ActionTimeoutError`` only when that answer says one still runs, so a poll
        that was slow to come never turns a finished action into a timeout.
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
            futures.append(future)
        if any(not action.done for action in actions):
            self._forecast.add(actions, loop.time())
            self._arrived.set()
            self._ensure_running()
        try:
            try:
                async with asyncio.timeout(deadline):
                    await asyncio.wait(futures, return_when=asyncio.FIRST_EXCEPTION)
            except TimeoutError:
                await self._last_look(actions, futures, deadline)
            for future in futures:
                if future.done() and future.exception() is not None:
                    raise future.exception()  # type: ignore[misc]
            return [future.result() for future in futures]
        finally:
            for action, future in zip(actions, futures, strict=True):
                if not future.done():
                    future.cancel()
                    self._leave(action.id, future)  # a cancelled waiter leaves the batch

    async def _last_look(
        self, actions: Sequence[Action], futures: list[asyncio.Future[Action]], deadline: float
    ) -> None:
        """Ask once more for the actions still running at the deadline; raise if one still runs."""
        running = [a.id for a, f in zip(actions, futures, strict=True) if not f.done()]
        failure: HetznerError | None = None
        if running and not self._closed_for(running):
            look = asyncio.get_running_loop().create_task(
                self._look(running), context=background_context()
            )
            try:
                failure = await asyncio.shield(look)
            except asyncio.CancelledError:
                look.cancel()
                raise
        if any(f.done() and f.exception() is not None for f in futures):
            return  # an action failed (or the client closed): that error says more
        still = [a for a, f in zip(actions, futures, strict=True) if not f.done()]
        if still:
            raise ActionTimeoutError(self._latest.get(still[0].id, still[0]), deadline) from failure

    def _closed_for(self, ids: Sequence[int]) -> bool:
        """Tell whether nobody waits for these any more (the poller was closed)."""
        return not any(i in self._waiters for i in ids)

    async def _look(self, ids: Sequence[int]) -> HetznerError | None:
        """Ask for these actions now, up to 25 per request; return the error if a request failed."""
        for start in range(0, len(ids), BATCH_SIZE):
            batch = ids[start : start + BATCH_SIZE]
            self.requests += 1
            try:
                found = await self._fetch(batch)
            except HetznerError as error:
                return error  # the waiters of other tasks stay: their own polls go on
            self._apply(batch, found, set(batch))
        return None

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
            # A context of its own: the loop serves every waiter, so nothing of the task that
            # happened to start it (a ``rate_limit_deadline``, say) may bind its requests, and
            # its requests go ahead of single ones in the governor.
            self._task = asyncio.get_running_loop().create_task(
                self._serve(), name="hetzner_async action poller", context=background_context()
            )

    def _leave(self, action_id: int, future: asyncio.Future[Action]) -> None:
        """Take a waiter that gave up out of the batch; forget an action nobody waits for."""
        waiters = self._waiters.get(action_id)
        if waiters is None:
            return
        with contextlib.suppress(ValueError):
            waiters.remove(future)
        if not waiters:
            del self._waiters[action_id]
            self._latest.pop(action_id, None)
            self._forecast.forget(action_id)

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
        """Sleep until a poll is due and the budget allows it; poll; repeat until idle.

        As the budget runs low, a poll also waits for more actions to be due (up to 25, for at
        most ``cap`` seconds), so that each request wakes more waiters.
        """
        loop = asyncio.get_running_loop()
        policy = self._policy
        while True:
            self._arrived.clear()
            if not self._waiters:
                return  # idle: no requests until someone waits again
            now = loop.time()
            spare = self._spare(policy.budget_share)
            affordable, ready = self._affordable(now, spare.rate)
            tracked = len(self._forecast.tracks)
            need = min(tracked, max(1, math.ceil(BATCH_SIZE * spare.scarcity)))
            wake = max(self._forecast.wake(need, policy.cap * spare.scarcity), ready)
            if wake > now + _RESOLUTION:
                # New actions may be due sooner, and answers change the budget: look again.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._arrived.wait(), min(wake - now, policy.cap))
                continue
            ids, due = self._forecast.select(now, BATCH_SIZE, affordable)
            batches = [ids[i : i + BATCH_SIZE] for i in range(0, len(ids), BATCH_SIZE)]
            self._allowance -= len(batches)
            await asyncio.gather(*(self._poll(batch, due) for batch in batches))

    def _affordable(self, now: float, rate: float) -> tuple[int, float]:
        """Return how many poll requests the budget share allows now, and when the next one is.

        The share refills an allowance of its own, which holds what the share grants over
        ``cap`` seconds, and at least one round of requests (one per 25 actions waited for): a
        full round may always go at once.
        """
        capacity = max(1, math.ceil(len(self._forecast.tracks) / BATCH_SIZE))
        if not math.isinf(rate):
            capacity = max(capacity, math.floor(rate * self._policy.cap))
        if math.isinf(rate) or self._allowance_at is None:
            self._allowance = float(capacity)  # unlimited, or the first poll: all of it
        else:
            self._allowance += max(0.0, now - self._allowance_at) * rate
        self._allowance = min(float(capacity), self._allowance)
        self._allowance_at = now
        whole = math.floor(self._allowance + 1e-9)
        if whole >= 1:
            return whole, now
        if rate <= 0:
            return 0, now + self._policy.cap  # held back (a 429 without headers): look again
        return 0, now + (1 - self._allowance) / rate

    async def _poll(self, ids: Sequence[int], due: set[int]) -> None:
        self.requests += 1
        loop = asyncio.get_running_loop()
        sent = loop.time()
        try:
            actions = await self._fetch(ids)
        except HetznerError as error:
            # The transport already retried what is transient; tell the waiters.
            self._fail(ids, error)
            return
        self._round_trip(loop.time() - sent)
        self._apply(ids, actions, due)

    def _round_trip(self, seconds: float) -> None:
        """Note how long a poll took; lead the next ones by half the shortest of late."""
        self._round_trips.append(seconds)
        self._forecast.lead = min(self._round_trips) / 2

    def _apply(self, ids: Sequence[int], actions: list[Action], due: set[int]) -> None:
        """Wake the waiters of the actions that ended; fold the others into the forecast."""
        at = asyncio.get_running_loop().time()
        by_id = {action.id: action for action in actions}
        for action_id in ids:
            action = by_id.get(action_id)
            if action is None:
                self._fail([action_id], HetznerError(f"action {action_id} vanished from the API"))
            elif action.done:
                self._forecast.ended(action_id, at)
                self._resolve(action_id, action)
            elif action_id in self._waiters:
                self._latest[action_id] = action
                self._forecast.observe(action, at, due=action_id in due)

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
            self._forecast.forget(action_id)

    async def close(self) -> None:
        """Stop the loop; waiters still pending fail with ``ClientClosedError``."""
        self._fail(list(self._waiters), ClientClosedError())
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
            if task.get_loop() is asyncio.get_running_loop():
                await asyncio.gather(task, return_exceptions=True)
