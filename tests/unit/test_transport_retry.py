"""Retry behaviour of the one transport, in virtual time (no real sleeps).

Each test runs on a loop whose clock jumps to the next timer, so the virtual seconds spent are
exactly the waits the transport chose.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import aiohttp
import pytest

from hetzner_async import HetznerClient, RetryPolicy
from hetzner_async._watch import warning_threshold
from hetzner_async.errors import (
    AmbiguousOutcomeError,
    APIConnectionError,
    BadGatewayError,
    InvalidInputError,
    LockedError,
    NotFoundError,
    RateLimitError,
    ServerError,
)

from ..examples import example
from ..virtual_time import run_virtual
from ..wire import ENDPOINT, TOKEN, mocked_api, rate_limit_headers, sent

T = TypeVar("T")
NOW = dt.datetime(2026, 11, 25, 12, 0, 0, tzinfo=dt.UTC)
T0 = int(NOW.timestamp())
SERVERS = re.compile(r"^http://127\.0\.0\.1:9/v1/servers(\?.*)?$")
SERVER_42 = re.compile(r"^http://127\.0\.0\.1:9/v1/servers/42$")
POWERON = re.compile(r"^http://127\.0\.0\.1:9/v1/servers/42/actions/poweron$")
ERROR_429 = {"error": {"code": "rate_limit_exceeded", "message": "limit reached", "details": {}}}


def envelope(code: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": code.replace("_", " "), "details": {}}}


def client(**retry: Any) -> HetznerClient:
    hz = HetznerClient(TOKEN, endpoint=ENDPOINT, strict=True, retry=RetryPolicy(**retry))
    hz._transport._clock = lambda: NOW  # pin "now" so waits are exact
    return hz


def run(scenario: Callable[[HetznerClient], Awaitable[T]], **retry: Any) -> tuple[T, float]:
    async def main() -> T:
        async with client(**retry) as hz:
            return await scenario(hz)

    return run_virtual(main)


def test_a_429_waits_until_one_request_is_back_not_until_the_full_reset() -> None:
    """3600/h with an empty bucket full in an hour: one request returns after exactly 1 s."""
    with mocked_api() as api:
        api.get(
            SERVER_42, status=429, payload=ERROR_429, headers=rate_limit_headers(3600, 0, T0 + 3600)
        )
        api.get(
            SERVER_42, payload=example("server"), headers=rate_limit_headers(3600, 0, T0 + 3600)
        )
        server, waited = run(lambda hz: hz.servers.get(42))
        assert server.id == example("server")["server"]["id"]
        assert waited == pytest.approx(1.0)
        assert len(sent(api)) == 2


@pytest.mark.parametrize(
    ("limit", "until_full", "expected"),
    # (limit - 1) missing over the seconds until full, never below the hourly floor: one request
    # fewer than Remaining says may be missing (Remaining is rounded down).
    [(3600, 3600, 1.0), (50, 2, 2 / 49), (7200, 3600, 0.5), (100, 100, 100 / 99)],
)
def test_a_429_wait_follows_the_refill_rate_the_headers_imply(
    limit: int, until_full: int, expected: float
) -> None:
    with mocked_api() as api:
        headers = rate_limit_headers(limit, 0, T0 + until_full)
        api.get(SERVER_42, status=429, payload=ERROR_429, headers=headers)
        api.get(SERVER_42, payload=example("server"), headers=headers)
        _, waited = run(lambda hz: hz.servers.get(42))
        assert waited == pytest.approx(expected)


def test_a_429_on_a_post_is_resent_because_it_was_never_processed() -> None:
    with mocked_api() as api:
        headers = rate_limit_headers(3600, 0, T0 + 3600)
        api.post(SERVERS, status=429, payload=ERROR_429, headers=headers)
        api.post(SERVERS, status=201, payload=example("create_server_response"), headers=headers)
        result, waited = run(
            lambda hz: hz.servers.create(name="web-1", server_type="cx22", image="debian-12")
        )
        assert result.server.name
        assert waited == pytest.approx(1.0)
        assert [m for m, *_ in sent(api)] == ["POST", "POST"]


def test_a_429_that_would_wait_longer_than_allowed_raises_rate_limit_error() -> None:
    with mocked_api() as api:
        # limit 1/h: the single request comes back after an hour, over the 300 s allowance.
        api.get(
            SERVER_42, status=429, payload=ERROR_429, headers=rate_limit_headers(1, 0, T0 + 3600)
        )
        with pytest.raises(RateLimitError) as raised:
            run(lambda hz: hz.servers.get(42))
        assert raised.value.reset == NOW + dt.timedelta(seconds=3600)
        assert len(sent(api)) == 1


def test_5xx_on_a_get_is_retried_a_bounded_number_of_times_with_capped_backoff() -> None:
    with mocked_api() as api:
        api.get(SERVER_42, status=503, payload=envelope("unavailable"), repeat=True)
        with pytest.raises(ServerError):
            run(lambda hz: hz.servers.get(42), max_attempts=5, base=1.0, cap=30.0)
        assert len(sent(api)) == 5


def test_backoff_waits_are_full_jitter_within_doubling_ceilings() -> None:
    """Four waits between five tries, each in [0, min(cap, base * 2**n)]: at most 1+2+4+4 s."""
    with mocked_api() as api:
        api.get(SERVER_42, status=502, body="<html>Bad Gateway</html>", repeat=True)
        waited = []

        async def scenario(hz: HetznerClient) -> None:
            loop_time = asyncio.get_running_loop().time
            start = loop_time()
            try:
                await hz.servers.get(42)
            finally:
                waited.append(loop_time() - start)

        with pytest.raises(BadGatewayError):
            run(scenario, max_attempts=5, base=1.0, cap=4.0)
        assert 0 < waited[0] <= 1 + 2 + 4 + 4
        assert len(sent(api)) == 5


def test_a_transient_failure_then_success_returns_the_answer() -> None:
    with mocked_api() as api:
        api.get(SERVER_42, status=500, body="Internal Server Error")
        api.get(SERVER_42, status=409, payload=envelope("conflict"))
        api.get(SERVER_42, payload=example("server"))
        server, _ = run(lambda hz: hz.servers.get(42))
        assert server.id
        assert len(sent(api)) == 3


@pytest.mark.parametrize(
    ("status", "code", "error"),
    [
        (404, "not_found", NotFoundError),
        (422, "invalid_input", InvalidInputError),
        (423, "locked", LockedError),
    ],
)
def test_other_4xx_fail_on_the_first_response(
    status: int, code: str, error: type[Exception]
) -> None:
    with mocked_api() as api:
        api.get(SERVER_42, status=status, payload=envelope(code), repeat=True)
        with pytest.raises(error):
            run(lambda hz: hz.servers.get(42))
        assert len(sent(api)) == 1


@pytest.mark.parametrize(
    "failure",
    [
        {"status": 500, "payload": envelope("server_error")},
        {"status": 502, "body": "<html>502 Bad Gateway</html>"},
        {"status": 504, "payload": envelope("timeout")},
        {"exception": aiohttp.ServerDisconnectedError()},
        {"exception": TimeoutError()},
    ],
)
def test_an_ambiguous_post_is_not_resent(failure: dict[str, Any]) -> None:
    """A POST that may have been applied raises AmbiguousOutcomeError after one try.

    (Creates go further and find out what happened: see the integration tests.)
    """
    with mocked_api() as api:
        api.post(POWERON, repeat=True, **failure)
        with pytest.raises(AmbiguousOutcomeError) as raised:
            run(lambda hz: hz.servers.power_on(42))
        assert len(sent(api)) == 1
        assert raised.value.method == "POST"
        assert "may have been applied" in str(raised.value)
        assert raised.value.__cause__ is not None


def test_a_post_that_never_left_is_resent() -> None:
    """A refused connection proves the request was not sent, so a create is retried."""
    with mocked_api() as api:
        refused = aiohttp.ClientConnectorError(
            aiohttp.client_reqrep.ConnectionKey("127.0.0.1", 9, False, True, None, None, None),
            OSError(111, "Connection refused"),
        )
        api.post(SERVERS, exception=refused)
        api.post(SERVERS, status=201, payload=example("create_server_response"))
        result, _ = run(
            lambda hz: hz.servers.create(name="web-1", server_type="cx22", image="debian-12")
        )
        assert result.action.command
        assert len(sent(api)) == 2


def test_connection_failures_on_get_are_retried_then_raised() -> None:
    with mocked_api() as api:
        api.get(SERVER_42, exception=aiohttp.ServerDisconnectedError(), repeat=True)
        with pytest.raises(APIConnectionError) as raised:
            run(lambda hz: hz.servers.get(42), max_attempts=3)
        assert raised.value.sent is True
        assert len(sent(api)) == 3


def test_rate_limit_follows_every_response_including_errors() -> None:
    with mocked_api() as api:
        api.get(
            SERVER_42, payload=example("server"), headers=rate_limit_headers(3600, 3500, T0 + 100)
        )
        api.get(
            SERVER_42,
            status=404,
            payload=envelope("not_found"),
            headers=rate_limit_headers(3600, 3499, T0 + 101),
        )

        async def scenario(hz: HetznerClient) -> list[int | None]:
            seen = [hz.rate_limit.remaining if hz.rate_limit else None]
            await hz.servers.get(42)
            seen.append(hz.rate_limit.remaining if hz.rate_limit else None)
            with pytest.raises(NotFoundError):
                await hz.servers.get(42)
            seen.append(hz.rate_limit.remaining if hz.rate_limit else None)
            return seen

        seen, _ = run(scenario)
        assert seen == [None, 3500, 3499]


def test_low_budget_warns_once_per_dip(caplog: pytest.LogCaptureFixture) -> None:
    with mocked_api() as api:
        for remaining in (150, 99, 98, 97, 150, 90):
            api.get(
                SERVER_42,
                payload=example("server"),
                headers=rate_limit_headers(3600, remaining, T0 + 10),
            )

        async def scenario(hz: HetznerClient) -> None:
            for _ in range(6):
                await hz.servers.get(42)

        with caplog.at_level("WARNING", logger="hetzner_async"):
            run(scenario)
        warnings = [r for r in caplog.records if "budget is low" in r.getMessage()]
        assert len(warnings) == 2


@pytest.mark.parametrize(("limit", "threshold"), [(3600, 100), (1000, 100), (60, 6), (10, 1)])
def test_the_low_budget_threshold_is_a_tenth_of_the_limit_at_most_100(
    limit: int, threshold: int
) -> None:
    assert warning_threshold(limit) == threshold


@pytest.mark.parametrize(("option", "warned_at"), [(None, [5]), (20, [19]), (0, [])])
def test_a_small_bucket_warns_when_a_tenth_is_left_not_at_its_first_answer(
    caplog: pytest.LogCaptureFixture, option: int | None, warned_at: list[int]
) -> None:
    """A bucket of 60: by default the warning comes below 6 left, not at 59 < 100."""
    with mocked_api() as api:
        left = [59, 30, 19, 6, 5, 4]
        for remaining in left:
            api.get(
                SERVER_42, payload=example("server"), headers=rate_limit_headers(60, remaining, T0)
            )

        async def main() -> None:
            hz = HetznerClient(TOKEN, endpoint=ENDPOINT, rate_limit_warning=option)
            hz._transport._clock = lambda: NOW
            async with hz:
                for _ in left:
                    await hz.servers.get(42)

        with caplog.at_level("WARNING", logger="hetzner_async"):
            run_virtual(main)
        warnings = [r.getMessage() for r in caplog.records if "budget is low" in r.getMessage()]
        assert [int(w.split(": ")[1].split(" of ")[0]) for w in warnings] == warned_at


def test_metrics_hooks_see_every_try_and_every_rate_limit_wait() -> None:
    """on_request gets one event per try (path templated); on_rate_limit_wait each wait."""
    events: list[Any] = []
    waits: list[float] = []
    with mocked_api() as api:
        headers = rate_limit_headers(3600, 0, T0 + 3600)
        api.post(POWERON, status=429, payload=ERROR_429, headers=headers)
        api.post(
            POWERON, status=201, payload=example("server_action_poweron_response"), headers=headers
        )

        async def main() -> None:
            hz = HetznerClient(
                TOKEN, endpoint=ENDPOINT, on_request=events.append, on_rate_limit_wait=waits.append
            )
            hz._transport._clock = lambda: NOW
            async with hz:
                await hz.servers.power_on(42)

        run_virtual(main)
    assert [(e.method, e.path_template, e.status, e.attempt, e.error) for e in events] == [
        ("POST", "/servers/{id}/actions/poweron", 429, 1, "rate_limit_exceeded"),
        ("POST", "/servers/{id}/actions/poweron", 201, 2, None),
    ]
    assert [e.remaining for e in events] == [0, 0]
    assert waits == [pytest.approx(1.0)]


def test_a_broken_metrics_hook_does_not_break_requests(caplog: pytest.LogCaptureFixture) -> None:
    def broken(event: Any) -> None:
        raise RuntimeError("metrics backend down")

    with mocked_api() as api:
        api.get(SERVER_42, payload=example("server"))

        async def main() -> int:
            async with HetznerClient(TOKEN, endpoint=ENDPOINT, on_request=broken) as hz:
                return (await hz.servers.get(42)).id

        server_id, _ = run_virtual(main)
    assert server_id == example("server")["server"]["id"]
    assert "on_request hook failed" in caplog.text


def test_an_unreadable_reset_header_is_ignored_and_never_blocks_the_client(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A gateway sending RateLimit-Reset in milliseconds: both calls answer, one warning."""
    with mocked_api() as api:
        headers = rate_limit_headers(3600, 3599, T0 * 1000)
        api.get(SERVER_42, payload=example("server"), headers=headers, repeat=True)

        async def scenario(hz: HetznerClient) -> list[int]:
            async with asyncio.timeout(60):  # a leaked slot would hang forever
                return [(await hz.servers.get(42)).id for _ in range(3)]

        with caplog.at_level("WARNING", logger="hetzner_async"):
            ids, _ = run(scenario)
        assert ids == [example("server")["server"]["id"]] * 3
        warnings = [r for r in caplog.records if "cannot be read" in r.getMessage()]
        assert len(warnings) == 1
        assert str(T0 * 1000) in warnings[0].getMessage()


def test_a_failure_of_any_kind_while_reading_a_response_frees_its_slot() -> None:
    with mocked_api() as api:
        api.get(SERVER_42, exception=RuntimeError("boom"))
        api.get(SERVER_42, payload=example("server"))

        async def scenario(hz: HetznerClient) -> int:
            with pytest.raises(RuntimeError):
                await hz.servers.get(42)
            async with asyncio.timeout(60):
                return (await hz.servers.get(42)).id

        server_id, _ = run(scenario)
        assert server_id == example("server")["server"]["id"]


def test_a_429_that_reports_budget_left_is_not_retried_in_a_hot_loop() -> None:
    """The 429 says 3599 of 3600 left (a gateway's count): the retry still waits for a refill."""
    with mocked_api() as api:
        headers = rate_limit_headers(3600, 3599, T0 + 1)
        api.get(SERVER_42, payload=example("server"), headers=headers)
        api.get(SERVER_42, status=429, payload=ERROR_429, headers=headers, repeat=3)
        api.get(SERVER_42, payload=example("server"), headers=headers)

        async def scenario(hz: HetznerClient) -> None:
            await hz.servers.get(42)
            await hz.servers.get(42)

        _, waited = run(scenario)
        assert len(sent(api)) == 5
        assert waited >= 3.0  # three 429s, each followed by at least one refill (1 s at 3600/h)
