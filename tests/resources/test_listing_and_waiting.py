"""Lazy pagination over every page, and waiting for actions through the shared poller."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from aioresponses import aioresponses

from hetzner_async import HetznerClient
from hetzner_async.errors import ActionFailedError, ActionTimeoutError
from hetzner_async.models import Action

from ..examples import example
from ..wire import sent
from .cases import covers


def _page(key: str, item: dict[str, Any], ids: list[int], page: int, last: int) -> dict[str, Any]:
    items = []
    for i in ids:
        copy_ = copy.deepcopy(item)
        copy_["id"] = i
        copy_["name"] = f"item-{i}"
        items.append(copy_)
    return {
        key: items,
        "meta": {
            "pagination": {
                "page": page,
                "per_page": 50,
                "previous_page": page - 1 if page > 1 else None,
                "next_page": page + 1 if page < last else None,
                "last_page": last,
                "total_entries": None,
            }
        },
    }


@covers("servers.iter", "ssh_keys.iter", "firewalls.iter")
@pytest.mark.parametrize(
    ("group", "key", "item"),
    [
        ("servers", "servers", example("server")["server"]),
        ("ssh_keys", "ssh_keys", example("ssh_key")["ssh_key"]),
        ("firewalls", "firewalls", example("firewall")["firewall"]),
    ],
)
async def test_iter_follows_next_page_until_null(
    hz: HetznerClient, api: aioresponses, group: str, key: str, item: dict[str, Any]
) -> None:
    """``iter`` asks page after page (50 each) while ``meta.pagination.next_page`` is set."""
    url = re.compile(rf"^http://127\.0\.0\.1:9/v1/{group}\?.*$")
    api.get(url, payload=_page(key, item, [1, 2], 1, 3))
    api.get(url, payload=_page(key, item, [3], 2, 3))
    api.get(url, payload=_page(key, item, [4, 5], 3, 3))
    found = [obj.id async for obj in getattr(hz, group).iter(label_selector="env=prod")]
    assert found == [1, 2, 3, 4, 5]
    pages = [query for _, _, query, _ in sent(api)]
    assert pages == [
        [("label_selector", "env=prod"), ("page", str(n)), ("per_page", "50")] for n in (1, 2, 3)
    ]


def _action(
    action_id: int, status: str, progress: int = 0, command: str = "create_server"
) -> dict[str, Any]:
    action = copy.deepcopy(example("action_generic")["action"])
    action.update(id=action_id, status=status, progress=progress, command=command)
    action["error"] = (
        {"code": "action_failed", "message": "Action failed"} if status == "error" else None
    )
    action["finished"] = None if status == "running" else action["started"]
    return action


def _running(action_id: int, command: str = "create_server") -> Action:
    from hetzner_async._convert import strict_converter, structure

    return structure(strict_converter, _action(action_id, "running", command=command), Action)


ACTIONS = re.compile(r"^http://127\.0\.0\.1:9/v1/actions\?.*$")


@covers("actions.wait")
async def test_actions_wait_polls_in_one_batch_until_all_end(
    hz: HetznerClient, api: aioresponses
) -> None:
    """Two running actions are polled together by id and returned in the order given."""
    api.get(ACTIONS, payload={"actions": [_action(1, "running", 50), _action(2, "success", 100)]})
    api.get(ACTIONS, payload={"actions": [_action(1, "success", 100)]})
    done = await hz.actions.wait(_running(1), _running(2))
    assert [(a.id, a.status) for a in done] == [(1, "success"), (2, "success")]
    assert [q for _, _, q, _ in sent(api)] == [[("id", "1"), ("id", "2")], [("id", "1")]]


async def test_actions_wait_raises_action_failed_with_code(
    hz: HetznerClient, api: aioresponses
) -> None:
    """An action that ends in error raises ActionFailedError carrying its code and message."""
    api.get(ACTIONS, payload={"actions": [_action(1, "error", 100)]})
    with pytest.raises(ActionFailedError) as failed:
        await hz.actions.wait(_running(1))
    assert failed.value.code == "action_failed"
    assert failed.value.action.id == 1


async def test_actions_wait_times_out_with_last_known_state(
    hz: HetznerClient, api: aioresponses
) -> None:
    """A deadline that passes first raises ActionTimeoutError with the latest progress."""
    api.get(ACTIONS, payload={"actions": [_action(1, "running", 40)]}, repeat=True)
    with pytest.raises(ActionTimeoutError) as timed_out:
        await hz.actions.wait(_running(1), timeout=0.05)
    assert timed_out.value.action.progress == 40


async def test_actions_wait_with_nothing_or_finished_actions_sends_nothing(
    hz: HetznerClient, api: aioresponses
) -> None:
    """Finished actions come back at once, and an idle poller makes no request."""
    from hetzner_async._convert import strict_converter, structure

    done = structure(strict_converter, _action(5, "success", 100), Action)
    assert await hz.actions.wait() == []
    assert await hz.actions.wait(done) == [done]
    assert sent(api) == []
