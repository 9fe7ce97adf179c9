"""The token bucket (pure, with a fake clock) and the rate limit as the HTTP API applies it."""

import math

import pytest

from hetzner_async.testing import FakeConfig, FakeHetznerCloud, ManualClock
from hetzner_async.testing.ratelimit import RateLimiter, TokenBucket

from .conftest import WALL_START, Api


def test_bucket_starts_full_and_refills_at_its_rate() -> None:
    bucket = TokenBucket.full(limit=10, refill_per_second=2.0, now=0.0)
    assert bucket.remaining(0.0) == 10
    for _ in range(10):
        assert bucket.try_acquire(0.0)
    assert not bucket.try_acquire(0.0)
    assert bucket.remaining(0.0) == 0
    assert bucket.remaining(0.4) == 0  # 0.8 tokens earned: not a whole one
    assert bucket.remaining(0.5) == 1
    assert bucket.remaining(3.0) == 6
    assert bucket.remaining(100.0) == 10  # never above the limit


def test_empty_bucket_charges_nothing() -> None:
    bucket = TokenBucket.full(limit=1, refill_per_second=1.0, now=0.0)
    assert bucket.try_acquire(0.0)
    assert not bucket.try_acquire(0.5)
    assert not bucket.try_acquire(0.9)
    assert bucket.try_acquire(1.0)  # the refused attempts took nothing


@pytest.mark.parametrize(
    ("limit", "refill", "spent", "elapsed"),
    [
        (3600, 1.0, 1, 0.0),
        (3600, 1.0, 100, 0.0),
        (3600, 1.0, 100, 30.0),
        (10, 0.5, 7, 3.0),
        (10, 3.0, 10, 0.0),
    ],
)
def test_headers_arithmetic(limit: int, refill: float, spent: int, elapsed: float) -> None:
    clock = ManualClock(0.0)
    limiter = RateLimiter(limit, refill, clock, lambda: WALL_START + clock())
    for _ in range(spent - 1):
        limiter.check("t")
    clock.advance(elapsed)
    status = limiter.check("t")
    assert status is not None
    assert status.allowed
    tokens = min(limit, limit - spent + elapsed * refill)
    assert status.limit == limit
    assert status.remaining == math.floor(tokens)
    expected_reset = math.ceil(WALL_START + elapsed + (limit - tokens) / refill)
    assert status.reset == expected_reset
    assert status.headers() == {
        "RateLimit-Limit": str(limit),
        "RateLimit-Remaining": str(math.floor(tokens)),
        "RateLimit-Reset": str(expected_reset),
    }


def test_buckets_are_per_token_and_disabled_with_none() -> None:
    clock = ManualClock(0.0)
    limiter = RateLimiter(1, 1.0, clock, lambda: 0.0)
    assert limiter.check("a").allowed  # type: ignore[union-attr]
    assert not limiter.check("a").allowed  # type: ignore[union-attr]
    assert limiter.check("b").allowed  # type: ignore[union-attr]
    assert RateLimiter(None, 1.0, clock, lambda: 0.0).check("a") is None


async def test_headers_on_every_response_and_429_when_empty(
    api: Api, clock: ManualClock, fake: FakeHetznerCloud
) -> None:
    fake.backend.limiter.limit = 3
    fake.backend.limiter.reset()
    first = await api.get("/servers")
    assert first.headers["RateLimit-Limit"] == "3"
    assert first.headers["RateLimit-Remaining"] == "2"
    assert first.headers["RateLimit-Reset"] == str(int(WALL_START) + 1)
    missing = await api.get("/servers/999")  # errors carry the headers too
    assert missing.status == 404
    assert missing.headers["RateLimit-Remaining"] == "1"
    await api.get("/servers")
    refused = await api.get("/servers")
    assert refused.status == 429
    assert refused.body["error"]["code"] == "rate_limit_exceeded"
    assert refused.headers["RateLimit-Remaining"] == "0"
    assert refused.headers["RateLimit-Reset"] == str(int(WALL_START) + 3)
    assert "X-Correlation-Id" in refused.headers
    assert fake.stats.rate_limited == 1
    clock.advance(1.0)
    again = await api.get("/servers")
    assert again.status == 200
    assert again.headers["RateLimit-Remaining"] == "0"


async def test_unauthenticated_requests_are_limited_and_refused(api: Api) -> None:
    for token in (None, "wrong"):
        reply = await api.get("/servers", token=token)
        assert reply.status == 401
        assert reply.body["error"]["code"] == "unauthorized"
        assert "RateLimit-Remaining" in reply.headers


async def test_rate_limit_can_be_disabled() -> None:
    async with FakeHetznerCloud(FakeConfig(rate_limit=None)) as fake:
        import aiohttp

        async with aiohttp.ClientSession() as session:
            for _ in range(3):
                async with session.get(
                    fake.url + "/locations", headers={"Authorization": f"Bearer {fake.token}"}
                ) as resp:
                    assert resp.status == 200
                    assert "RateLimit-Remaining" not in resp.headers
                    assert len(resp.headers["X-Correlation-Id"]) == 16
