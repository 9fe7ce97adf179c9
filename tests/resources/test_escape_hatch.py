"""``hz.request``: any API call through the one transport; ``hz.actions.parse`` to wait on it."""

from __future__ import annotations

import re

import pytest
from aioresponses import aioresponses

from hetzner_async import HetznerClient
from hetzner_async.errors import AmbiguousOutcomeError, ValidationError
from hetzner_async.models import ActionStatus

from ..examples import example
from ..wire import sent
from .cases import covers

URL = re.compile(r"^http://127\.0\.0\.1:9/v1/servers/42/actions/some_new_thing(\?.*)?$")


async def test_request_sends_method_path_query_and_body_as_given(
    hz: HetznerClient, api: aioresponses
) -> None:
    """A mapping of params becomes query pairs (sequences repeat), the JSON body goes as is."""
    api.post(URL, status=201, payload=example("action_generic"))
    body = await hz.request(
        "post",
        "/servers/42/actions/some_new_thing",
        params={"a": 1, "b": ["x", "y"]},
        json={"k": 1},
    )
    assert sent(api) == [
        (
            "POST",
            "/v1/servers/42/actions/some_new_thing",
            [("a", "1"), ("b", "x"), ("b", "y")],
            {"k": 1},
        )
    ]
    assert body == example("action_generic")


@covers("actions.parse")
async def test_parse_turns_raw_action_json_into_an_action_to_wait_on(
    hz: HetznerClient, api: aioresponses
) -> None:
    """The action a raw call returns can be waited on like any other."""
    api.post(URL, status=201, payload=example("action_generic"))
    body = await hz.request("POST", "/servers/42/actions/some_new_thing")
    action = hz.actions.parse(body["action"])
    assert action.id == body["action"]["id"]
    assert action.status is ActionStatus(body["action"]["status"])


async def test_request_keeps_the_ambiguous_post_safety(
    hz: HetznerClient, api: aioresponses
) -> None:
    """A POST answered 500 is not re-sent: the caller learns it may have been applied."""
    api.post(URL, status=500, payload={"error": {"code": "server_error", "message": "boom"}})
    with pytest.raises(AmbiguousOutcomeError):
        await hz.request("POST", "/servers/42/actions/some_new_thing")
    assert len(sent(api)) == 1


@pytest.mark.parametrize(
    ("method", "path", "field"),
    [
        ("FETCH", "/servers", "method"),
        ("GET", "servers", "path"),
        ("GET", "https://example.com/v1/servers", "path"),
    ],
)
async def test_request_refuses_bad_input_before_sending(
    hz: HetznerClient, api: aioresponses, method: str, path: str, field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        await hz.request(method, path)
    assert caught.value.field == field
    assert sent(api) == []
