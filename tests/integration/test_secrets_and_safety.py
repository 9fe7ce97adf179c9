"""Secrets never show in logs, reprs, errors or tracebacks; unsafe set-ups are refused."""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections.abc import Callable

import pytest

from hetzner_async import HetznerClient, RetryPolicy
from hetzner_async.errors import APITimeoutError, ForbiddenError, HetznerError
from hetzner_async.testing import FakeConfig, FakeHetznerCloud, Fault, FaultKind

from ..spec_recorder import SpecRecorder

TOKEN = "hz7SecretTokenValueQWERTYUIOPasdfghjkl0123456789zxcvbnm"
USER_DATA = "#cloud-config\n# marker-user-data-4b1f\n"


@pytest.fixture
def fake_config(spec_recorder: SpecRecorder) -> FakeConfig:
    return FakeConfig(token=TOKEN, action_duration=0.05, on_response=spec_recorder)


def _texts(*objects: object) -> list[str]:
    out = []
    for obj in objects:
        out += [str(obj), repr(obj)]
        if isinstance(obj, BaseException):
            out.append("".join(traceback.format_exception(obj)))
    return out


async def test_no_secret_reaches_logs_reprs_errors_or_tracebacks(
    fake: FakeHetznerCloud,
    make_client: Callable[..., HetznerClient],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)  # everything, from every logger
    seen: list[str] = []
    secrets: list[str] = [TOKEN, TOKEN[:8], "marker-user-data-4b1f"]
    async with make_client() as hz:
        seen += _texts(hz, hz.servers, hz.rate_limit)
        created = await hz.servers.create(
            name="s1", server_type="cx22", image="debian-12", user_data=USER_DATA
        )
        assert created.root_password
        secrets.append(created.root_password)
        seen += _texts(created, created.server)
        await hz.actions.wait(created.action, *created.next_actions)
        console = await hz.servers.request_console(created.server.id)
        secrets += [console.password, console.wss_url]
        seen += _texts(console)
        await hz.actions.wait(console.action)
        reset = await hz.servers.reset_password(created.server.id)
        assert reset.root_password
        secrets.append(reset.root_password)
        seen += _texts(reset)
        await hz.actions.wait(reset.action)

        # The API may quote the start of the token in an error message.
        fake.add_fault(
            Fault(
                kind=FaultKind.ERROR,
                method="GET",
                path="/servers",
                status=403,
                code="forbidden",
                message=f"token '{TOKEN[:8]}…' may not list servers",
            )
        )
        with pytest.raises(ForbiddenError) as forbidden:
            await hz.servers.list()
        seen += _texts(forbidden.value)

        # A create whose answer is cut off mid-body: the body carried a root password.
        fake.add_fault(
            Fault(
                kind=FaultKind.TRUNCATE, method="POST", path="/servers/{id}/actions/reset_password"
            )
        )
        with pytest.raises(HetznerError) as cut:
            await hz.servers.reset_password(created.server.id)
        seen += _texts(cut.value)
        fake.add_fault(
            Fault(
                kind=FaultKind.MALFORMED,
                method="POST",
                path="/servers/{id}/actions/request_console",
            )
        )
        await asyncio.sleep(0.1)  # the cut-off reset_password still ran: let its 50 ms action end
        with pytest.raises(HetznerError) as malformed:
            await hz.servers.request_console(created.server.id)
        seen += _texts(malformed.value)
    seen.append(caplog.text)
    seen += [record.getMessage() for record in caplog.records]
    assert len(caplog.records) >= 8  # the DEBUG lines were there to be checked
    for secret in secrets:
        leaks = [text for text in seen if secret in text]
        assert not leaks, f"a secret leaked into: {leaks[0][:300]}"


async def test_a_hanging_route_ends_in_api_timeout_error_within_the_read_timeout(
    fake: FakeHetznerCloud, make_client: Callable[..., HetznerClient]
) -> None:
    fake.add_fault(
        Fault(kind=FaultKind.HANG, method="GET", path="/servers/{id}", delay=30, times=None)
    )
    async with make_client(read_timeout=0.2, retry=RetryPolicy(max_attempts=2, base=0.01)) as hz:
        loop = asyncio.get_running_loop()
        start = loop.time()
        with pytest.raises(APITimeoutError) as raised:
            await hz.servers.get(1)
        elapsed = loop.time() - start
    assert raised.value.sent is True
    # Two tries of 0.2 s each (and aiohttp's own quiet retry), nowhere near the 30 s hang.
    assert elapsed < 5


async def test_a_wrong_token_is_unauthorized_and_not_echoed(fake: FakeHetznerCloud) -> None:
    wrong = "wrongTokenValue0987654321"
    async with HetznerClient(wrong, endpoint=fake.url) as hz:
        with pytest.raises(HetznerError) as raised:
            await hz.servers.list()
    assert raised.value.status == 401  # type: ignore[attr-defined]
    assert all(wrong not in text and wrong[:8] not in text for text in _texts(raised.value))
