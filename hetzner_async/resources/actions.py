"""``hz.actions``: look up actions and wait for them through the client's shared poller."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import cattrs

from .._poller import BATCH_SIZE, ActionPoller, PollPolicy
from .._transport import Transport
from .._validate import check_id
from ..models import Action
from ._base import ResourceGroup

__all__ = ["Actions"]


class Actions(ResourceGroup):
    """Actions: the asynchronous tasks behind every change (https://docs.hetzner.cloud/reference/cloud#actions)."""

    def __init__(self, transport: Transport, converter: cattrs.Converter, poll: PollPolicy) -> None:
        super().__init__(transport, converter)
        self._poller = ActionPoller(self._fetch, poll, spare=transport.governor.spare)

    async def get(self, action_id: int) -> Action:
        """Return the current state of one action."""
        data = await self._call("GET", f"/actions/{check_id('action_id', action_id)}")
        return self._structure(data["action"], Action)

    def parse(self, data: Mapping[str, Any]) -> Action:
        """Read an action from raw JSON (say, from ``hz.request``) so that it can be waited on."""
        return self._structure(data, Action)

    async def _fetch(self, ids: Sequence[int]) -> list[Action]:
        """Fetch at most 25 actions in one request."""
        data = await self._call("GET", "/actions", params=[("id", str(i)) for i in ids])
        return [self._structure(action, Action) for action in data.get("actions", [])]

    async def get_many(self, action_ids: Sequence[int]) -> list[Action]:
        """Return the current state of these actions, 25 per request, in the order asked.

        IDs the API does not know are left out of the result.
        """
        ids = [check_id("action_ids", action_id) for action_id in action_ids]
        found: dict[int, Action] = {}
        for start in range(0, len(ids), BATCH_SIZE):
            for action in await self._fetch(ids[start : start + BATCH_SIZE]):
                found[action.id] = action
        return [found[i] for i in ids if i in found]

    async def wait(self, *actions: Action, timeout: float | None = None) -> list[Action]:
        """Wait until every action ends and return their final states, in the order given.

        Raises ``ActionFailedError`` as soon as one ends in error and ``ActionTimeoutError`` when
        ``timeout`` seconds pass first (by default a deadline that fits the slowest command).
        All waiting tasks of a client share one poller that asks for 25 actions per request.
        """
        if not actions:
            return []
        self._transport.ensure_usable()  # the poller belongs to the client's loop, and ends with it
        return await self._poller.wait(actions, timeout)

    async def _shutdown(self) -> None:
        """Stop the shared poller (called by ``HetznerClient.close``)."""
        await self._poller.close()
