"""The line of requests waiting for rate-limit budget: background work first.

A request that serves every task of a client (the action poller's, a batched look-up) goes ahead
of requests of single tasks: a queue of creates must not hide that actions have finished. Within
each kind, first come first served.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import enum
from collections import deque

__all__ = ["Line", "Place", "Priority", "background_context", "priority"]


class Priority(enum.IntEnum):
    """Who goes first when requests wait for budget: lower values first."""

    #: The client's shared background work: each request serves many waiting tasks.
    BACKGROUND = 0
    #: A request of one task.
    SINGLE = 1


_priority: contextvars.ContextVar[Priority] = contextvars.ContextVar(
    "hetzner_async_priority", default=Priority.SINGLE
)


def background_context() -> contextvars.Context:
    """Return an empty context whose requests go ahead of single requests.

    The action poller and the batched look-ups run in one: they serve every task of the client,
    so no caller's ``rate_limit_deadline`` binds them, and a queue of creates does not delay them.
    """
    context = contextvars.Context()
    context.run(_priority.set, Priority.BACKGROUND)
    return context


def priority() -> Priority:
    """Return the priority of the requests made in the current context."""
    return _priority.get()


class Place:
    """One request's place in the line; ``nudge`` wakes it, when it waits (at the front or not)."""

    __slots__ = ("_waiter", "priority")

    def __init__(self, priority: Priority) -> None:
        self.priority = priority
        self._waiter: asyncio.Future[None] | None = None

    def waiter(self) -> asyncio.Future[None]:
        """Return a fresh future that ``nudge`` completes (one waiter at a time)."""
        self._waiter = asyncio.get_running_loop().create_future()
        return self._waiter

    def nudge(self) -> None:
        """Wake the request if it waits (it reached the front, was overtaken, or must end)."""
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)


class Line:
    """Requests waiting for budget: background ones first, each kind in the order it came."""

    def __init__(self) -> None:
        self._queues: dict[Priority, deque[Place]] = {p: deque() for p in sorted(Priority)}

    def head(self) -> Place | None:
        """Return the request whose turn it is (None when nobody waits)."""
        for queue in self._queues.values():
            if queue:
                return queue[0]
        return None

    def join(self, priority: Priority) -> Place:
        """Queue a request. A request that goes ahead of the one at the front wakes it."""
        before = self.head()
        place = Place(priority)
        self._queues[priority].append(place)
        if before is not None and self.head() is not before:
            before.nudge()
        return place

    def leave(self, place: Place) -> None:
        """Take a request out of the line (served, failed or cancelled); wake the next one."""
        queue = self._queues[place.priority]
        if queue and queue[0] is place:
            queue.popleft()
        else:
            with contextlib.suppress(ValueError):
                queue.remove(place)
        head = self.head()
        if head is not None:
            head.nudge()

    def wake_all(self) -> None:
        """Wake every waiting request (the governor closes)."""
        for queue in self._queues.values():
            for place in queue:
                place.nudge()
