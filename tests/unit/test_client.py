"""Client configuration: token and endpoint resolution, safe defaults, session ownership."""

from __future__ import annotations

import aiohttp
import pytest

from hetzner_async import DEFAULT_ENDPOINT, HetznerClient, __version__
from hetzner_async.errors import ConfigurationError

from ..examples import example
from ..wire import ENDPOINT, TOKEN, mocked_api

SECRET = "s3cr3t-token-value-xyz"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HCLOUD_TOKEN", "HETZNER_API_TOKEN", "HCLOUD_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    ("argument", "env", "expected"),
    [
        ("arg-token", {"HCLOUD_TOKEN": "env-1", "HETZNER_API_TOKEN": "env-2"}, "arg-token"),
        (None, {"HCLOUD_TOKEN": "env-1", "HETZNER_API_TOKEN": "env-2"}, "env-1"),
        (None, {"HETZNER_API_TOKEN": "env-2"}, "env-2"),
        (None, {"HCLOUD_TOKEN": "", "HETZNER_API_TOKEN": "env-2"}, "env-2"),
    ],
)
def test_token_comes_from_argument_then_environment(
    monkeypatch: pytest.MonkeyPatch, argument: str | None, env: dict[str, str], expected: str
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert HetznerClient(argument)._token == expected


def test_missing_token_is_a_clear_error() -> None:
    with pytest.raises(ConfigurationError, match="HCLOUD_TOKEN"):
        HetznerClient()


@pytest.mark.parametrize(
    "token", [f"{SECRET} x", f"{SECRET}\n", f"\t{SECRET}", f"{SECRET}\x00", f"{SECRET}é", " "]
)
def test_tokens_with_whitespace_or_control_characters_are_refused_without_echo(token: str) -> None:
    with pytest.raises(ConfigurationError) as raised:
        HetznerClient(token)
    assert SECRET not in str(raised.value)


@pytest.mark.parametrize(
    ("endpoint", "env", "allow_insecure", "expected"),
    [
        (None, None, False, DEFAULT_ENDPOINT),
        (None, "https://env.example/v1/", False, "https://env.example/v1"),
        ("https://arg.example/v1", "https://env.example/v1", False, "https://arg.example/v1"),
        ("http://127.0.0.1:8080/v1", None, False, "http://127.0.0.1:8080/v1"),
        ("http://localhost:8080/v1", None, False, "http://localhost:8080/v1"),
        ("http://[::1]:8080/v1", None, False, "http://[::1]:8080/v1"),
        ("http://proxy.internal/v1", None, True, "http://proxy.internal/v1"),
    ],
)
def test_endpoint_resolution(
    monkeypatch: pytest.MonkeyPatch,
    endpoint: str | None,
    env: str | None,
    allow_insecure: bool,
    expected: str,
) -> None:
    if env:
        monkeypatch.setenv("HCLOUD_ENDPOINT", env)
    hz = HetznerClient(TOKEN, endpoint=endpoint, allow_insecure=allow_insecure)
    assert hz.endpoint == expected


@pytest.mark.parametrize("endpoint", ["http://api.example.com/v1", "ftp://x/v1", "not a url"])
def test_insecure_or_bogus_endpoints_are_refused(endpoint: str) -> None:
    with pytest.raises(ConfigurationError):
        HetznerClient(TOKEN, endpoint=endpoint)


@pytest.mark.parametrize(
    "kwargs", [{"connect_timeout": 0}, {"read_timeout": -1}, {"max_connections": 0}]
)
def test_nonsense_options_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ConfigurationError):
        HetznerClient(TOKEN, endpoint=ENDPOINT, **kwargs)  # type: ignore[arg-type]


def test_repr_never_shows_the_token() -> None:
    hz = HetznerClient(SECRET, endpoint=ENDPOINT)
    assert SECRET not in repr(hz)
    assert SECRET not in repr(hz.servers)
    assert "redacted" in repr(hz)


async def test_owned_session_has_timeouts_and_a_bounded_pool_and_is_closed() -> None:
    hz = HetznerClient(
        TOKEN, endpoint=ENDPOINT, connect_timeout=3, read_timeout=7, max_connections=5
    )
    async with hz:
        session = hz._transport._session
        assert session is not None
        assert session.timeout.sock_connect == 3
        assert session.timeout.connect is None  # waiting for a pooled connection is not a failure
        assert session.timeout.sock_read == 7
        assert session.connector is not None
        assert session.connector.limit == 5
    assert session.closed


async def test_borrowed_session_is_used_and_left_open_and_still_gets_timeouts() -> None:
    async with aiohttp.ClientSession() as session:
        with mocked_api() as api:
            api.get(f"{ENDPOINT}/servers/42", payload=example("server"))
            async with HetznerClient(
                TOKEN, endpoint=ENDPOINT, session=session, connect_timeout=2, read_timeout=9
            ) as hz:
                await hz.servers.get(42)
            assert not session.closed
            (call,) = next(iter(api.requests.values()))
            timeout = call.kwargs["timeout"]
            assert (timeout.sock_connect, timeout.sock_read) == (2, 9)


async def test_user_agent_names_the_sdk_its_version_and_the_application() -> None:
    with mocked_api() as api:
        api.get(f"{ENDPOINT}/servers/42", payload=example("server"))
        async with HetznerClient(TOKEN, endpoint=ENDPOINT, application="fleetd/2.1") as hz:
            await hz.servers.get(42)
        (call,) = next(iter(api.requests.values()))
        agent = call.kwargs["headers"]["User-Agent"]
        assert agent.startswith(f"fleetd/2.1 hetzner-async/{__version__} aiohttp/")


async def test_close_without_enter_is_harmless_and_calls_work_without_enter() -> None:
    with mocked_api() as api:
        api.get(f"{ENDPOINT}/servers/42", payload=example("server"))
        hz = HetznerClient(TOKEN, endpoint=ENDPOINT)
        await hz.servers.get(42)
        await hz.close()
        await hz.close()
        assert hz._transport._session is None
