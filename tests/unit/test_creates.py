"""Creates: exactly once after ambiguous failures (r9, r10), and a 2xx is never lost.

Against aioresponses in virtual time, so the waits between re-sent creates are measured exactly
and cost no real time. The clients use the tolerant reader (the production default).
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import re
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import aiohttp
import pytest
from aioresponses import CallbackResult

from hetzner_async import HetznerClient, RetryPolicy
from hetzner_async.errors import (
    AmbiguousOutcomeError,
    AppliedButUnreadableError,
    NotFoundError,
    ServerError,
    UnavailableError,
    UnexpectedResponseError,
    UniquenessError,
)
from hetzner_async.resources._base import CREATE_MARKER, created_id

from ..examples import example
from ..virtual_time import run_virtual
from ..wire import ENDPOINT, TOKEN, mocked_api, sent

T = TypeVar("T")
BASE = re.escape(ENDPOINT)
SERVERS = re.compile(rf"^{BASE}/servers$")
SERVERS_BY_NAME = re.compile(rf"^{BASE}/servers\?.*name=.*$")
SERVER_42 = re.compile(rf"^{BASE}/servers/42$")
SERVER_42_ACTIONS = re.compile(rf"^{BASE}/servers/42/actions\?.*$")
SSH_KEYS = re.compile(rf"^{BASE}/ssh_keys$")
SSH_KEYS_BY_NAME = re.compile(rf"^{BASE}/ssh_keys\?.*name=.*$")
POWERON = re.compile(rf"^{BASE}/servers/42/actions/poweron$")
ACTION_13 = re.compile(rf"^{BASE}/actions/13$")
EMPTY_PAGE = {
    "meta": {
        "pagination": {
            "page": 1,
            "per_page": 50,
            "previous_page": None,
            "next_page": None,
            "last_page": 1,
            "total_entries": 0,
        }
    }
}
UNAVAILABLE = {"error": {"code": "unavailable", "message": "unavailable", "details": {}}}
PASSWORD = example("create_server_response")["root_password"]


def run(scenario: Callable[[HetznerClient], Awaitable[T]], **retry: Any) -> tuple[T, float]:
    async def main() -> T:
        policy = RetryPolicy(**retry)
        async with HetznerClient(TOKEN, endpoint=ENDPOINT, retry=policy) as hz:
            return await scenario(hz)

    return run_virtual(main)


def create(hz: HetznerClient) -> Awaitable[Any]:
    return hz.servers.create(name="web-1", server_type="cx22", image="debian-12")


def methods(api: Any) -> list[str]:
    return [f"{method} {path}" for method, path, _, _ in sent(api)]


def page(key: str, *items: dict[str, Any]) -> dict[str, Any]:
    return {key: list(items), **copy.deepcopy(EMPTY_PAGE)}


class Marked:
    """Remember the create marker each POST carried, to answer look-ups as the API would."""

    def __init__(self) -> None:
        self.markers: list[str] = []

    def post(self, status: int, payload: Any = None, body: str | None = None) -> Any:
        def callback(url: Any, **kwargs: Any) -> CallbackResult:
            self.markers.append(json.loads(kwargs["data"])["labels"][CREATE_MARKER])
            if body is not None:
                return CallbackResult(status=status, body=body)
            return CallbackResult(status=status, payload=payload)

        return callback

    def server(self, **changes: Any) -> dict[str, Any]:
        """The example server carrying the last marker sent."""
        server = copy.deepcopy(example("server")["server"])
        server.update(id=42, name="web-1", labels={CREATE_MARKER: self.markers[-1]}, **changes)
        return server


def actions_page() -> dict[str, Any]:
    create_action = copy.deepcopy(example("create_server_response")["action"])
    start = copy.deepcopy(example("create_server_response")["next_actions"][0])
    return page("actions", create_action, start)


# --- r9: re-sent creates back off, and "nothing was created" says what really failed ----------


def test_r9_resent_creates_back_off_and_the_real_error_is_raised() -> None:
    """POST /servers answers 503 every time and every look-up finds nothing.

    Before: five POSTs back to back and AmbiguousOutcomeError. After: waits between the re-sends
    that grow like the retry policy's, and the 503 itself, since nothing was created.
    """
    posted_at: list[float] = []

    def unavailable(url: Any, **kwargs: Any) -> CallbackResult:
        posted_at.append(asyncio.get_running_loop().time())
        return CallbackResult(status=503, payload=UNAVAILABLE)

    with mocked_api() as api:
        api.post(SERVERS, callback=unavailable, repeat=True)
        api.get(SERVERS_BY_NAME, payload=page("servers"), repeat=True)
        with pytest.raises(UnavailableError) as raised:
            run(create, max_attempts=5, base=1.0, cap=30.0)
        assert not isinstance(raised.value, AmbiguousOutcomeError)
        assert methods(api).count("POST /v1/servers") == 5
        assert methods(api).count("GET /v1/servers") == 5
    gaps = [later - earlier for earlier, later in itertools.pairwise(posted_at)]
    # Equal jitter: each wait lies in [ceiling / 2, ceiling], the ceiling doubling from base.
    for gap, ceiling in zip(gaps, [1.0, 2.0, 4.0, 8.0], strict=True):
        assert ceiling / 2 <= gap <= ceiling


def test_r9_the_backoff_is_capped() -> None:
    posted_at: list[float] = []

    def unavailable(url: Any, **kwargs: Any) -> CallbackResult:
        posted_at.append(asyncio.get_running_loop().time())
        return CallbackResult(status=500, payload=UNAVAILABLE | {"error": {"code": "server_error"}})

    with mocked_api() as api:
        api.post(SERVERS, callback=unavailable, repeat=True)
        api.get(SERVERS_BY_NAME, payload=page("servers"), repeat=True)
        with pytest.raises(ServerError):
            run(create, max_attempts=4, base=2.0, cap=3.0)
    gaps = [later - earlier for earlier, later in itertools.pairwise(posted_at)]
    assert len(gaps) == 3
    assert all(1.0 <= gap <= 3.0 for gap in gaps)


def test_a_name_held_by_another_resource_raises_uniqueness_at_once() -> None:
    """After an ambiguous try, the look-up finds the name without this call's marker."""
    marked = Marked()
    with mocked_api() as api:
        api.post(SERVERS, callback=marked.post(503, UNAVAILABLE), repeat=True)
        theirs = {**example("server")["server"], "name": "web-1", "labels": {CREATE_MARKER: "x"}}
        api.get(SERVERS_BY_NAME, payload=page("servers", theirs), repeat=True)
        with pytest.raises(UniquenessError) as raised:
            run(create)
        assert methods(api).count("POST /v1/servers") == 1
    assert raised.value.fields == ["name"]
    assert "web-1" in str(raised.value)


def test_an_ambiguous_try_then_success_returns_the_second_answer() -> None:
    with mocked_api() as api:
        api.post(SERVERS, exception=aiohttp.ServerDisconnectedError())
        api.post(SERVERS, status=201, payload=example("create_server_response"))
        api.get(SERVERS_BY_NAME, payload=page("servers"))
        result, waited = run(create, base=1.0)
        assert result.server.id == 42
        assert sorted(methods(api)) == ["GET /v1/servers", "POST /v1/servers", "POST /v1/servers"]
    assert 0.5 <= waited <= 1.0


# --- r10: a look-up that fails leaves the outcome open ----------------------------------------


def test_r10_a_failed_look_up_after_an_ambiguous_create_is_ambiguous() -> None:
    """The create may have gone through; the look-up that would tell fails (503 x5).

    Before: a plain ServerError about a GET. After: AmbiguousOutcomeError, caused by the
    look-up's error, and no second POST.
    """
    with mocked_api() as api:
        api.post(SERVERS, exception=aiohttp.ServerDisconnectedError())
        api.get(SERVERS_BY_NAME, status=503, payload=UNAVAILABLE, repeat=True)
        with pytest.raises(AmbiguousOutcomeError) as raised:
            run(create, base=0.01, cap=0.01)
        assert methods(api).count("POST /v1/servers") == 1
        assert methods(api).count("GET /v1/servers") == 5
    error = raised.value
    assert isinstance(error.__cause__, UnavailableError)
    assert error.__cause__.method == "GET"
    assert error.method == "POST"
    assert error.path == "/servers"
    assert "looking up what it created failed" in str(error)
    assert "may have been applied" in str(error)


# --- a 2xx is never lost --------------------------------------------------------------------


def test_a_201_whose_result_cannot_be_built_is_read_back_by_id() -> None:
    """The 201 names the server, but its action has no status: rebuilt from GET by id."""
    body = copy.deepcopy(example("create_server_response"))
    del body["action"]["status"]
    with mocked_api() as api:
        api.post(SERVERS, status=201, payload=body)
        api.get(SERVER_42, payload={"server": example("create_server_response")["server"]})
        api.get(SERVER_42_ACTIONS, payload=actions_page())
        result, _ = run(create)
        assert methods(api) == [
            "POST /v1/servers",
            "GET /v1/servers/42",
            "GET /v1/servers/42/actions",
        ]
    assert result.server.id == 42
    assert result.action.command == "create_server"
    assert [a.command for a in result.next_actions] == ["start_server"]
    assert result.root_password == PASSWORD  # only the 201 had it: kept


def test_a_201_cut_off_is_read_back_by_the_id_it_shows() -> None:
    with mocked_api() as api:
        api.post(SERVERS, status=201, body='{"server": {"id": 42, "name": "web-1", "stat')
        api.get(SERVER_42, payload={"server": example("create_server_response")["server"]})
        api.get(SERVER_42_ACTIONS, payload=actions_page())
        result, _ = run(create)
        assert methods(api).count("POST /v1/servers") == 1
    assert result.server.id == 42
    assert result.action.command == "create_server"


def test_a_201_without_the_servers_id_is_read_back_by_name_and_marker() -> None:
    marked = Marked()
    body = copy.deepcopy(example("create_server_response"))
    del body["server"]["id"]
    with mocked_api() as api:
        api.post(SERVERS, callback=marked.post(201, body))
        api.get(
            SERVERS_BY_NAME,
            callback=lambda url, **kw: CallbackResult(payload=page("servers", marked.server())),
        )
        api.get(SERVER_42_ACTIONS, payload=actions_page())
        result, _ = run(create)
        assert methods(api).count("POST /v1/servers") == 1
    assert result.server.id == 42
    assert result.server.labels[CREATE_MARKER] == marked.markers[0]


@pytest.mark.parametrize(
    ("answer", "resource_id"),
    [
        ({"body": '{"server": {"id": 42, "root_password": "hunter2'}, 42),
        ({"body": "<html>Created</html>"}, None),
        ({"payload": {}}, None),
        ({"payload": [1, 2]}, None),
    ],
    ids=["cut off, id shown", "html", "empty object", "array"],
)
def test_a_201_that_cannot_be_read_back_raises_applied(
    answer: dict[str, Any], resource_id: int | None
) -> None:
    """Nothing to read the result from: AppliedButUnreadableError, never 'ambiguous'."""
    with mocked_api() as api:
        api.post(SERVERS, status=201, **answer)
        api.get(SERVER_42, status=404, payload={"error": {"code": "not_found", "message": "-"}})
        api.get(SERVERS_BY_NAME, payload=page("servers"))
        with pytest.raises(AppliedButUnreadableError) as raised:
            run(create)
        assert methods(api).count("POST /v1/servers") == 1
    error = raised.value
    assert error.resource_id == resource_id
    assert error.status == 201
    assert "the request was applied" in str(error)
    assert "hunter2" not in str(error)
    assert "hunter2" not in error.body
    assert isinstance(error, UnexpectedResponseError)  # what callers caught before
    if resource_id is not None:
        assert isinstance(error.__cause__, NotFoundError)


def test_an_ssh_key_answered_without_its_id_is_read_back_by_name() -> None:
    marked = Marked()
    key = copy.deepcopy(example("ssh_key")["ssh_key"])
    without_id = {k: v for k, v in key.items() if k != "id"}
    with mocked_api() as api:
        api.post(SSH_KEYS, callback=marked.post(201, {"ssh_key": without_id}))
        api.get(
            SSH_KEYS_BY_NAME,
            callback=lambda url, **kw: CallbackResult(
                payload=page("ssh_keys", {**key, "labels": {CREATE_MARKER: marked.markers[-1]}})
            ),
        )
        created, _ = run(
            lambda hz: hz.ssh_keys.create(name=key["name"], public_key="ssh-ed25519 A")
        )
    assert created.id == key["id"]


def test_an_action_answered_without_its_command_is_read_back_by_id() -> None:
    body = copy.deepcopy(example("server_action_poweron_response"))
    del body["action"]["command"]
    with mocked_api() as api:
        api.post(POWERON, status=201, payload=body)
        api.get(
            ACTION_13,
            payload=example("action_generic")
            | {"action": {**example("action_generic")["action"], "id": 13}},
        )
        action, _ = run(lambda hz: hz.servers.power_on(42))
        assert methods(api) == ["POST /v1/servers/42/actions/poweron", "GET /v1/actions/13"]
    assert action.id == 13
    assert action.command


def test_an_action_post_cut_off_without_an_id_raises_applied_after_one_try() -> None:
    with mocked_api() as api:
        api.post(POWERON, status=201, body='{"server": {"id": 4', repeat=True)
        with pytest.raises(AppliedButUnreadableError) as raised:
            run(lambda hz: hz.servers.power_on(42))
        assert len(sent(api)) == 1
    assert raised.value.method == "POST"
    assert raised.value.resource_id is None


def test_the_escape_hatch_reports_an_unreadable_2xx_post_as_applied() -> None:
    with mocked_api() as api:
        api.post(re.compile(rf"^{BASE}/volumes$"), status=201, body="not json", repeat=True)
        with pytest.raises(AppliedButUnreadableError):
            run(lambda hz: hz.request("POST", "/volumes", json={"name": "v"}))
        assert len(sent(api)) == 1


def test_an_unreadable_2xx_get_is_still_retried() -> None:
    with mocked_api() as api:
        api.get(SERVER_42, status=200, body="<html>", repeat=False)
        api.get(SERVER_42, payload={"server": example("server")["server"]})
        server, _ = run(lambda hz: hz.servers.get(42), base=0.01)
        assert server.id == example("server")["server"]["id"]
        assert len(sent(api)) == 2


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ({"server": {"id": 42}}, 42),
        ({"server": {"id": "42"}}, 42),
        ({"server": {"id": -1}}, None),
        ({"server": {"id": True}}, None),
        ({"server": None}, None),
        ({"action": {"id": 7}}, None),
        ('{"server": {"id": 42, "na', 42),
        ('{"server": {"name": "x", "image": {"id": 5', None),
        ("{}", None),
    ],
)
def test_created_id(answer: Any, expected: int | None) -> None:
    assert created_id(answer, "server") == expected
