"""Fixtures for testing the fake itself: a fake on a manual clock, every response spec-checked."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest

from hetzner_async.testing import FakeConfig, FakeHetznerCloud, ManualClock
from tests.spec_recorder import SpecRecorder

WALL_START = 1_700_000_000.0


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def spec_recorder() -> SpecRecorder:
    return SpecRecorder()


@pytest.fixture
def config(clock: ManualClock, spec_recorder: SpecRecorder) -> FakeConfig:
    return FakeConfig(
        token="test-token",
        action_duration=1.0,
        clock=clock,
        wall_clock=lambda: WALL_START,
        on_response=spec_recorder,
    )


@pytest.fixture
async def fake(config: FakeConfig, spec_recorder: SpecRecorder) -> AsyncIterator[FakeHetznerCloud]:
    async with FakeHetznerCloud(config) as running:
        yield running
    assert running.internal_errors == []
    assert spec_recorder.violations == []


@dataclass
class Reply:
    status: int
    headers: Any
    body: Any


class Api:
    """A thin loopback client: returns status, headers and the decoded JSON body."""

    def __init__(self, session: aiohttp.ClientSession, fake: FakeHetznerCloud) -> None:
        self.session = session
        self.fake = fake

    async def call(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Any = None,
        data: bytes | None = None,
        token: str | None = "default",
        timeout: float | None = None,
    ) -> Reply:
        headers = {}
        if token == "default":
            token = self.fake.token
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        url = path if path.startswith("http") else self.fake.url + path
        async with self.session.request(
            method,
            url,
            json=json,
            params=params,
            data=data,
            headers=headers,
            timeout=aiohttp.ClientTimeout(total=timeout) if timeout else None,
        ) as resp:
            raw = await resp.read()
            body: Any = None
            if raw and resp.content_type == "application/json":
                body = await resp.json()
            elif raw:
                body = raw.decode()
            return Reply(resp.status, resp.headers, body)

    async def get(self, path: str, **kw: Any) -> Reply:
        return await self.call("GET", path, **kw)

    async def post(self, path: str, json: Any = None, **kw: Any) -> Reply:
        return await self.call("POST", path, json=json, **kw)

    async def put(self, path: str, json: Any = None, **kw: Any) -> Reply:
        return await self.call("PUT", path, json=json, **kw)

    async def delete(self, path: str, **kw: Any) -> Reply:
        return await self.call("DELETE", path, **kw)

    async def create_server(self, name: str, **fields: Any) -> Reply:
        body = {"name": name, "server_type": "cx22", "image": "debian-12", **fields}
        reply = await self.post("/servers", body)
        assert reply.status == 201, reply.body
        return reply


@pytest.fixture
async def api(fake: FakeHetznerCloud) -> AsyncIterator[Api]:
    async with aiohttp.ClientSession() as session:
        yield Api(session, fake)
