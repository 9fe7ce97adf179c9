"""Edges of the governor's line (``_line``) that mutation testing found unguarded."""

from __future__ import annotations

import asyncio

from hetzner_async._line import Line, Place, Priority

from ..virtual_time import run_virtual


def test_a_request_that_goes_ahead_wakes_the_one_at_the_front() -> None:
    async def main() -> tuple[bool, bool]:
        line = Line()
        front = line.join(Priority.SINGLE)
        waiter = front.waiter()
        line.join(Priority.SINGLE)  # behind it: the front keeps waiting for budget
        after_single = waiter.done()
        first = line.join(Priority.BACKGROUND)  # ahead of it: the front must look again
        assert line.head() is first
        return after_single, waiter.done()

    (after_single, after_background), _ = run_virtual(main)
    assert not after_single
    assert after_background


def test_leaving_twice_or_leaving_an_empty_line_is_harmless() -> None:
    async def main() -> Place | None:
        line = Line()
        place = line.join(Priority.SINGLE)
        line.leave(place)
        line.leave(place)
        other = line.join(Priority.BACKGROUND)
        line.leave(Place(Priority.BACKGROUND))  # never joined, its queue not empty
        return line.head() if line.head() is other else None

    head, _ = run_virtual(main)
    assert head is not None


def test_a_place_that_never_waited_can_be_nudged() -> None:
    Place(Priority.SINGLE).nudge()  # nothing to wake: no error

    async def main() -> bool:
        place = Place(Priority.SINGLE)
        waiter = place.waiter()
        place.nudge()
        place.nudge()  # a second nudge of a woken waiter is harmless
        await asyncio.sleep(0)
        return waiter.done()

    assert run_virtual(main)[0]
