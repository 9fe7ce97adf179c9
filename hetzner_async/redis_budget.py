"""One rate-limit budget for all processes of a project, kept in Redis (``hetzner_async[redis]``).

The in-process governor mirrors the API's token bucket from the ``RateLimit-*`` headers, but each
process keeps its own mirror: when several processes burst at once, each believes the whole
remaining budget is its own, and together they overdraw it into 429s. ``RedisBudget`` keeps one
mirror in Redis instead. Every request of every process takes a token from it (atomically, in a
Lua script), and every response folds its headers into it, so processes on many machines draw
from one bucket::

    budget = RedisBudget(redis.asyncio.Redis.from_url(url), project="my-project")
    async with HetznerClient(shared_budget=budget) as hz:
        ...

Time comes from Redis (``TIME``), one clock for every machine. The mirror only ever goes down
by requests and up by the refill rate learned from the headers, and every header caps it:
it may be more careful than the API, never more generous. When Redis cannot be reached, or does
not answer within ``timeout`` (a partition, a failover, a stopped server), the process falls back
to its own mirror and logs a warning; it asks Redis again ``retry_after`` seconds later.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import Callable
from typing import Any

from ._governor import Governor
from ._wire import RateLimit

__all__ = ["RedisBudget", "SharedGovernor"]

logger = logging.getLogger("hetzner_async")

#: Seconds of silence after which the shared mirror is forgotten: by then the API's bucket is
#: full again (it refills within the hour), and the next response starts a fresh mirror.
_LIFETIME = 7200

# KEYS[1]: the bucket. Returns the seconds to wait as a string: "0" when a token was taken,
# "-1" when no process has reported the budget yet.
_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1e6
local b = redis.call('HMGET', KEYS[1], 'limit', 'tokens', 'rate', 'updated')
if not b[1] then return '-1' end
local limit, tokens, rate, updated = tonumber(b[1]), tonumber(b[2]), tonumber(b[3]), tonumber(b[4])
tokens = math.min(limit, tokens + math.max(0, now - updated) * rate)
if tokens >= 1 then
  redis.call('HSET', KEYS[1], 'tokens', tostring(tokens - 1), 'updated', tostring(now))
  return '0'
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'updated', tostring(now))
return tostring((1 - tokens) / rate)
"""

# KEYS[1]: the bucket. ARGV: limit, remaining, refill rate ('' if none learned yet), throttled
# (0/1), key lifetime in seconds. Folds one response's headers into the shared mirror. A 429
# proves the bucket empty whatever Remaining says. The rate is the sender's learned one, which
# may go down as well as up (a clock-skewed early guess must not stay), so the latest wins.
_OBSERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1e6
local limit, remaining = tonumber(ARGV[1]), tonumber(ARGV[2])
local estimate, throttled = tonumber(ARGV[3]), ARGV[4] == '1'
if throttled then remaining = 0 end
local floor = limit / 3600
local b = redis.call('HMGET', KEYS[1], 'limit', 'tokens', 'rate', 'updated')
local tokens, rate
if not b[1] or tonumber(b[1]) ~= limit then
  tokens, rate = remaining, floor
else
  rate = tonumber(b[3])
  tokens = math.min(limit, tonumber(b[2]) + math.max(0, now - tonumber(b[4])) * rate)
  tokens = math.min(tokens, remaining)
end
if estimate then rate = math.max(floor, estimate) end
redis.call('HSET', KEYS[1], 'limit', tostring(limit), 'tokens', tostring(tokens),
  'rate', tostring(rate), 'updated', tostring(now))
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[5]))
return 1
"""


class RedisBudget:
    """The project's request budget, mirrored in one Redis hash that many processes share.

    ``redis`` is a ``redis.asyncio.Redis`` client (decoding responses or not); it is borrowed
    and never closed. ``project`` names the budget: every process whose tokens belong to the same
    Hetzner project (the API meters per project) must use the same name and the same Redis.
    ``timeout`` is how long a request waits for Redis before it uses the process's own mirror;
    after such a failure Redis is asked again ``retry_after`` seconds later, not before.
    """

    def __init__(
        self,
        redis: Any,
        *,
        project: str,
        prefix: str = "hetzner-async:budget",
        timeout: float = 1.0,
        retry_after: float = 5.0,
    ) -> None:
        """Share the budget of ``project`` through ``redis``; nothing is sent until first use."""
        if not project:
            raise ValueError("name the project whose budget is shared")
        if timeout <= 0 or retry_after < 0:
            raise ValueError("timeout must be positive and retry_after not negative")
        self.key = f"{prefix}:{project}"
        self.timeout = timeout
        self.retry_after = retry_after
        self._take = redis.register_script(_TAKE)
        self._observe = redis.register_script(_OBSERVE)

    def __repr__(self) -> str:
        return f"RedisBudget(key={self.key!r})"

    async def take(self) -> float | None:
        """Take one request from the shared bucket.

        Return 0 when taken, else the seconds until one is back; None while no process has
        reported the budget yet. Raise ``TimeoutError`` when Redis does not answer in time.
        """
        async with asyncio.timeout(self.timeout):
            delay = float(_text(await self._take(keys=[self.key])))
        return None if delay < 0 else delay

    async def observe(
        self, rate_limit: RateLimit, *, estimate: float | None, throttled: bool
    ) -> None:
        """Fold one response's headers into the shared mirror (at most what they report).

        ``estimate`` is the refill rate the sender has learned; it replaces the shared one.
        Raise ``TimeoutError`` when Redis does not answer in time.
        """
        async with asyncio.timeout(self.timeout):
            await self._observe(
                keys=[self.key],
                args=[
                    rate_limit.limit,
                    rate_limit.remaining,
                    "" if estimate is None else repr(estimate),
                    int(throttled),
                    _LIFETIME,
                ],
            )

    def governor(
        self,
        *,
        max_wait: float,
        fallback_wait: float,
        on_wait: Callable[[float], None] | None = None,
    ) -> SharedGovernor:
        """Return a governor for one client that draws from this budget."""
        return SharedGovernor(self, max_wait=max_wait, fallback_wait=fallback_wait, on_wait=on_wait)


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _redis_errors() -> tuple[type[BaseException], ...]:
    try:
        from redis.exceptions import RedisError
    except ImportError:  # pragma: no cover - the redis extra is what brings this module
        return (OSError, TimeoutError)
    return (RedisError, OSError, TimeoutError)


class SharedGovernor(Governor):
    """A governor whose budget is the shared ``RedisBudget``; the rest works as in-process.

    Within the process, requests still wait in order (FIFO) and bare 429s still back off; the
    process's own mirror is kept too, and used while Redis cannot be reached.
    """

    def __init__(
        self,
        budget: RedisBudget,
        *,
        max_wait: float,
        fallback_wait: float,
        on_wait: Callable[[float], None] | None = None,
    ) -> None:
        super().__init__(max_wait=max_wait, fallback_wait=fallback_wait, on_wait=on_wait)
        self._may_skip_line = False  # every request asks Redis, one at a time
        self.shared = budget
        self._observing: set[asyncio.Task[None]] = set()
        self._errors = _redis_errors()
        self._redis_down = False
        self._retry_at = 0.0  # loop time before which a Redis that failed is not asked again

    async def _shared_delay(self) -> float | None:
        """Return the wait before the next request (0: a shared token was taken).

        None means the shared budget is unknown (nobody has reported it yet, or Redis is down
        or too slow): the caller then uses the process's own mirror.
        """
        if self._skipping_redis():
            return None
        if self._observing:
            # Read our own writes: a 429 just seen must reach Redis before we take again.
            # Each write gives up after the budget's timeout, so this wait is bounded too.
            await asyncio.wait(set(self._observing))
            if self._skipping_redis():
                return None
        try:
            delay = await self.shared.take()
        except self._errors as error:
            self._unreachable(error)
            return None
        if self._redis_down:
            logger.warning("shared rate-limit budget available again")
            self._redis_down = False
        return delay

    def _skipping_redis(self) -> bool:
        """Tell whether Redis failed recently enough that requests should not wait for it."""
        return self._redis_down and asyncio.get_running_loop().time() < self._retry_at

    def _unreachable(self, error: BaseException) -> None:
        """Switch to the local mirror until ``retry_after`` has passed; warn once per outage."""
        if not self._redis_down:
            reason = str(error) or f"no answer within {self.shared.timeout:g} s"
            logger.warning("shared rate-limit budget unreachable, using the local one: %s", reason)
        self._redis_down = True
        self._retry_at = asyncio.get_running_loop().time() + self.shared.retry_after

    async def _wait_needed(self, now: float) -> float | None:
        """Ask the shared bucket; fall back to the local mirror when it knows nothing yet."""
        blocked = max(0.0, self._blocked_until - now)
        if blocked > 0:
            return blocked  # a bare 429 (no headers) blocks this process
        shared = await self._shared_delay()
        if shared is not None:
            return shared
        # Nobody has reported the budget yet, or Redis is down: govern locally.
        return await super()._wait_needed(now)

    def release(self, rate_limit: RateLimit | None, **facts: Any) -> None:
        """Account for a finished try; fold its headers into both mirrors.

        The refill rate sent to Redis is the one the process's own mirror has learned from the
        headers, so both mirrors follow one rule.
        """
        super().release(rate_limit, **facts)
        if rate_limit is None or self._skipping_redis():
            return  # while Redis is down, the next header after it is back brings it up to date
        rate = self._budget.rate if self._budget.rate_learned else None
        task = asyncio.get_running_loop().create_task(
            self._fold(rate_limit, rate, bool(facts.get("throttled", False))),
            context=contextvars.Context(),
        )
        self._observing.add(task)
        task.add_done_callback(self._observing.discard)

    async def _fold(self, rate_limit: RateLimit, estimate: float | None, throttled: bool) -> None:
        try:
            await self.shared.observe(rate_limit, estimate=estimate, throttled=throttled)
        except self._errors as error:
            self._unreachable(error)

    async def aclose(self) -> None:
        """Refuse further requests; wait (at most the timeout) for updates on their way to Redis."""
        await super().aclose()
        if self._observing:
            await asyncio.wait(set(self._observing))
