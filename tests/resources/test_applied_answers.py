"""A POST the API answered with success is never reported as "maybe": every action and change.

When the answer cannot be read, an action it names is fetched by id; a result that cannot be
rebuilt (it held a password, a console URL) raises ``AppliedButUnreadableError``, sent once.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from aioresponses import aioresponses

from hetzner_async import HetznerClient
from hetzner_async.errors import AppliedButUnreadableError
from hetzner_async.models import FirewallRule

from ..wire import sent

BASE = r"^http://127\.0\.0\.1:9/v1"
ACTION = {
    "id": 77,
    "command": "x",
    "status": "running",
    "progress": 0,
    "started": "2016-01-30T23:55:00Z",
    "finished": None,
    "resources": [],
    "error": None,
}
#: An answer that names action 77 but misses what the result needs (``started``, ``command``).
BROKEN = {"action": {"id": 77, "status": "running"}, "unexpected": True}

RESULT_CALLS = [
    ("servers", "rebuild", (5,), {"image": "debian-12"}, "/servers/5/actions/rebuild"),
    ("servers", "enable_rescue", (5,), {}, "/servers/5/actions/enable_rescue"),
    ("servers", "request_console", (5,), {}, "/servers/5/actions/request_console"),
    ("servers", "reset_password", (5,), {}, "/servers/5/actions/reset_password"),
    (
        "firewalls",
        "set_rules",
        (8, [FirewallRule(direction="in", protocol="icmp", source_ips=["0.0.0.0/0"])]),
        {},
        "/firewalls/8/actions/set_rules",
    ),
]


@pytest.mark.parametrize(
    ("group", "method", "args", "kwargs", "path"),
    RESULT_CALLS,
    ids=[f"{g}.{m}" for g, m, *_ in RESULT_CALLS],
)
async def test_an_unreadable_result_is_reported_as_applied_and_not_resent(
    hz: HetznerClient,
    api: aioresponses,
    group: str,
    method: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    path: str,
) -> None:
    broken = {"actions": [{"id": 77}]} if group == "firewalls" else BROKEN
    api.post(re.compile(rf"{BASE}{re.escape(path)}$"), status=201, payload=broken)
    with pytest.raises(AppliedButUnreadableError) as raised:
        await getattr(getattr(hz, group), method)(*args, **kwargs)
    assert "applied" in str(raised.value)
    assert [(m, p) for m, p, *_ in sent(api)] == [("POST", f"/v1{path}")]


ACTION_CALLS = [
    ("volumes", "detach", (6,), {}, "/volumes/6/actions/detach"),
    (
        "zones",
        "change_ttl",
        ("example.com",),
        {"ttl": 3600},
        "/zones/example.com/actions/change_ttl",
    ),
    (
        "zones.rrsets",
        "change_ttl",
        ("example.com", "www", "A"),
        {"ttl": 600},
        "/zones/example.com/rrsets/www/A/actions/change_ttl",
    ),
]


@pytest.mark.parametrize(
    ("group", "method", "args", "kwargs", "path"),
    ACTION_CALLS,
    ids=[f"{g}.{m}" for g, m, *_ in ACTION_CALLS],
)
async def test_an_unreadable_action_answer_is_read_back_by_its_id(
    hz: HetznerClient,
    api: aioresponses,
    group: str,
    method: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    path: str,
) -> None:
    api.post(re.compile(rf"{BASE}{re.escape(path)}$"), status=201, payload=BROKEN)
    api.get(re.compile(rf"{BASE}/actions/77$"), payload={"action": ACTION})
    target: Any = hz
    for part in group.split("."):
        target = getattr(target, part)
    action = await getattr(target, method)(*args, **kwargs)
    assert action.id == 77
    assert [(m, p) for m, p, *_ in sent(api)] == [("POST", f"/v1{path}"), ("GET", "/v1/actions/77")]


async def test_a_load_balancer_deleted_without_an_action_gives_a_finished_stand_in(
    hz: HetznerClient, api: aioresponses
) -> None:
    """Before 2026-10-05 the API answered ``204``: nothing to wait for, the stand-in is done."""
    api.delete(re.compile(rf"{BASE}/load_balancers/4$"), status=204)
    action = await hz.load_balancers.delete(4)
    assert (action.id, action.command, action.done) == (0, "delete_load_balancer", True)
    assert [r.id for r in action.resources] == [4]
    assert await hz.actions.wait(action) == [action]  # waiting on it costs no request
    assert len(sent(api)) == 1
