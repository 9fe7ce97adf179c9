"""The one door to the wire: every request of a client passes through ``Transport.request``.

This is the only module that talks to aiohttp's client. It owns (or borrows) the session, sends
the request, records the rate-limit headers of every response, decodes errors, and retries with
the ``backoff`` library according to the pure policy in ``_retry``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import random
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import aiohttp
import attrs
import backoff

from ._governor import Governor, SharedBudget
from ._retry import IDEMPOTENT_METHODS, Decision, RetryPolicy, decide, may_have_been_applied
from ._watch import Watch
from ._wire import RateLimit, decode_body, decode_error, redact
from .errors import (
    AmbiguousOutcomeError,
    APIConnectionError,
    APIError,
    APITimeoutError,
    ClientClosedError,
    HetznerError,
    RateLimitError,
    WrongEventLoopError,
)
from .hooks import RateLimitWaitHook, RequestHook

__all__ = ["Query", "Transport", "TransportOptions"]

logger = logging.getLogger("hetzner_async")

#: Query parameters as pairs, so that array parameters can repeat (``?id=1&id=2``).
Query = Sequence[tuple[str, str]]


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@attrs.define
class _Tries:
    """What the tries of one request have seen so far."""

    count: int = 0
    #: An earlier try failed in a way that may have applied the request.
    maybe_applied: bool = False


@attrs.frozen(kw_only=True)
class TransportOptions:
    """Settings of the transport that a caller may tune; plain values, no I/O."""

    retry: RetryPolicy
    connect_timeout: float
    read_timeout: float
    max_connections: int
    #: Warn when ``RateLimit-Remaining`` dips below this; None: ``warning_threshold(limit)``.
    rate_limit_warning: int | None
    user_agent: str
    on_request: RequestHook | None = None
    on_rate_limit_wait: RateLimitWaitHook | None = None


class Transport:
    """Send requests to one API endpoint with one token, retrying per the policy."""

    def __init__(
        self,
        *,
        endpoint: str,
        token: str,
        options: TransportOptions,
        session: aiohttp.ClientSession | None = None,
        shared_budget: SharedBudget | None = None,
        clock: Callable[[], dt.datetime] = _utcnow,
        rng: random.Random | None = None,
    ) -> None:
        self._endpoint = endpoint.rstrip("/")
        self._token = token
        self.options = options
        self._session = session
        self._owns_session = session is None
        self._clock = clock
        self._rng = rng or random.Random()
        self._watch = Watch(
            on_request=options.on_request, rate_limit_warning=options.rate_limit_warning
        )
        self._closed = False
        #: The event loop of the first use: the session, governor and poller belong to it.
        self._loop: asyncio.AbstractEventLoop | None = None
        # Passed with every request too, so that a borrowed session gets the same limits.
        # Not `connect`: aiohttp counts the wait for a free pooled connection against it, and
        # with thousands of tasks behind a bounded pool that wait is queueing, not a failure.
        self._timeout = aiohttp.ClientTimeout(
            total=None,
            connect=None,
            sock_connect=options.connect_timeout,
            sock_read=options.read_timeout,
        )
        # The in-process governor, or one drawing from a budget shared with other processes.
        make_governor = Governor if shared_budget is None else shared_budget.governor
        self.governor = make_governor(
            max_wait=options.retry.max_rate_limit_wait,
            fallback_wait=options.retry.base,
            on_wait=options.on_rate_limit_wait,
        )
        self._send = self._with_retries(self._send_once)

    # --- session lifecycle ------------------------------------------------------------------

    def _open_session(self) -> aiohttp.ClientSession:
        """Create the session this transport owns, with explicit timeouts and a bounded pool."""
        connector = aiohttp.TCPConnector(limit=self.options.max_connections)
        return aiohttp.ClientSession(timeout=self._timeout, connector=connector)

    async def open(self) -> None:
        """Create the owned session now (called by ``HetznerClient.__aenter__``)."""
        self.ensure_usable()
        if self._session is None:
            self._session = self._open_session()

    def ensure_usable(self) -> None:
        """Raise unless requests may be sent: the client is open, and on its event loop."""
        if self._closed:
            raise ClientClosedError()
        loop = asyncio.get_running_loop()
        if self._loop is None:
            self._loop = loop
        elif self._loop is not loop:
            raise WrongEventLoopError(
                "this HetznerClient was first used in another event loop, which owns its "
                "connection pool, rate-limit governor and action poller; create one client per "
                "event loop (for instance inside the coroutine that asyncio.run runs)"
            )

    @property
    def rate_limit(self) -> RateLimit | None:
        """Return the budget the latest response reported, or None before any did."""
        return self._watch.rate_limit

    @property
    def closed(self) -> bool:
        """Tell whether ``close`` was called: the transport then refuses every request."""
        return self._closed

    async def close(self) -> None:
        """Refuse further requests, then close the session if this transport created it.

        Requests waiting for rate-limit budget end with ``ClientClosedError``, and so do those
        on the wire when an owned session closes under them. A borrowed session is left open.
        """
        self._closed = True
        await self.governor.aclose()
        if self._owns_session and self._session is not None:
            session, self._session = self._session, None
            await session.close()

    # --- the door ---------------------------------------------------------------------------

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Query | None = None,
        json_body: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Send one API request and return its decoded JSON object (``{}`` for 204)."""
        self.ensure_usable()
        if self._session is None:
            self._session = self._open_session()
        data = None if json_body is None else json.dumps(json_body, separators=(",", ":"))
        tries = _Tries()
        result: dict[str, Any] = await self._send(method.upper(), path, params or (), data, tries)
        return result

    def _headers(self, has_body: bool) -> dict[str, str]:
        headers = {
            "Authorization": f"Bearer {self._token}",
            "User-Agent": self.options.user_agent,
            "Accept": "application/json",
        }
        if has_body:
            headers["Content-Type"] = "application/json"
        return headers

    async def _send_once(
        self, method: str, path: str, params: Query, data: str | None, tries: _Tries
    ) -> Any:
        """Make one try; raise the decoded failure, or ``AmbiguousOutcomeError`` when unsafe."""
        if self._closed:  # closed between two tries of this request
            raise ClientClosedError()
        ticket = await self.governor.acquire()
        tries.count += 1
        started = time.monotonic()
        sent_at = self._clock()
        loop = asyncio.get_running_loop()
        sent = loop.time()
        # What the try tells the governor; until an answer is read, nothing about the budget.
        rate_limit: RateLimit | None = None
        throttled = answered = False
        try:
            session = self._session
            if session is None or self._closed:
                raise ClientClosedError()
            try:
                async with session.request(
                    method,
                    self._endpoint + path,
                    params=list(params),
                    data=data,
                    headers=self._headers(data is not None),
                    timeout=self._timeout,
                ) as response:
                    body = await response.read()
                    status = response.status
                    headers = response.headers
            except (aiohttp.ClientError, TimeoutError, RuntimeError) as exc:
                if self._closed:
                    raise self._cut_off(method, path) from exc
                if isinstance(exc, RuntimeError):
                    raise
                failure = self._connection_error(exc, method, path)
                self._watch.report(
                    method, path, tries.count, started, None, None, type(failure).__name__
                )
                self._settle(failure, method, path, tries)
                raise failure from exc
            throttled, answered = status == 429, True
            rate_limit = self._watch.record_rate_limit(headers)
        finally:
            # Whatever happened (a failure, a cancellation, a header that would not parse), the
            # slot is free again: a leaked slot would hold every later request forever.
            self.governor.release(
                rate_limit,
                sent_at=sent_at,
                throttled=throttled,
                answered=answered,
                latency=loop.time() - sent,
                ticket=ticket,
            )
        try:
            if status >= 400:
                raise decode_error(
                    status, headers, body, method=method, path=path, secrets=(self._token,)
                )
            result = decode_body(status, body, method=method, path=path)
        except APIError as error:
            self._watch.report(method, path, tries.count, started, status, headers, error.code)
            error.attempt, error.after_ambiguous = tries.count, tries.maybe_applied
            self._settle(error, method, path, tries)
            raise
        self._watch.report(method, path, tries.count, started, status, headers, None)
        return result

    @staticmethod
    def _cut_off(method: str, path: str) -> ClientClosedError:
        """Describe a request that ``close`` cut off on the wire."""
        applied = "" if method in IDEMPOTENT_METHODS else "; it may have been applied"
        return ClientClosedError(
            f"the HetznerClient was closed while {method} {path} was in flight{applied}",
            in_flight=True,
        )

    @staticmethod
    def _settle(error: HetznerError, method: str, path: str, tries: _Tries) -> None:
        """Raise the clear error for an ambiguous failure, else note what this try may have applied.

        A failure that may have applied a non-idempotent request becomes ``AmbiguousOutcomeError``;
        any other is remembered, so that a later try's failure is judged with it.
        """
        if decide(error, method) is Decision.AMBIGUOUS:
            raise AmbiguousOutcomeError(method=method, path=path, reason=str(error)) from error
        tries.maybe_applied |= may_have_been_applied(error)

    def _connection_error(self, exc: BaseException, method: str, path: str) -> APIConnectionError:
        """Map an aiohttp failure to ours, deciding whether the request may have left."""
        message = redact(f"{type(exc).__name__}: {exc}".rstrip(": "), (self._token,))
        if isinstance(exc, aiohttp.ConnectionTimeoutError):
            return APITimeoutError(message, sent=False, method=method, path=path)
        if isinstance(exc, TimeoutError):
            return APITimeoutError(message, sent=True, method=method, path=path)
        # ClientConnectorError: no connection was made, so nothing was sent.
        sent = not isinstance(exc, aiohttp.ClientConnectorError)
        return APIConnectionError(message, sent=sent, method=method, path=path)

    # --- retries ----------------------------------------------------------------------------

    def _with_retries(
        self, send: Callable[[str, str, Query, str | None, _Tries], Any]
    ) -> Callable[[str, str, Query, str | None, _Tries], Any]:
        """Wrap one try in the two backoff policies, built per transport so tests can tune them."""
        policy = self.options.retry

        def jitter(ceiling: float) -> float:
            # Full jitter: spread retries of many tasks over the whole interval.
            return self._rng.uniform(0, ceiling)

        def give_up_transient(error: Exception) -> bool:
            method = getattr(error, "method", None) or "GET"
            return decide(error, method) is not Decision.BACKOFF  # type: ignore[arg-type]

        def give_up_rate_limit(error: Exception) -> bool:
            return isinstance(error, RateLimitError) and error.deadline_exceeded

        def log_retry(details: Any) -> None:
            error = details.get("exception")
            logger.info(
                "retrying %s %s in %.2fs after try %d failed: %s",
                details["args"][0],
                details["args"][1],
                details["wait"],
                details["tries"],
                error,
            )

        transient = backoff.on_exception(
            backoff.expo,
            (APIError, APIConnectionError),
            factor=policy.base,
            base=2,
            max_value=policy.cap,
            max_tries=policy.max_attempts,
            jitter=jitter,
            giveup=give_up_transient,
            on_backoff=log_retry,
            logger=None,  # our own log lines say more, and at the right level
        )
        # A 429 is retried at once: the governor, consulted before every try, holds the retry
        # (and every other task) until the headers say budget is back.
        rate_limited = backoff.on_exception(
            backoff.constant,
            RateLimitError,
            interval=0,
            jitter=None,  # the governor's wait comes from the headers: do not scramble it
            max_tries=policy.max_rate_limit_attempts,
            giveup=give_up_rate_limit,
            on_backoff=log_retry,
            logger=None,
        )
        return rate_limited(transient(send))
