"""What every module of wire cases shares: the row type, pages, and generated rows."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, TypeVar

import attrs

from ...examples import example

ACTION = example("action_generic")
LAST_PAGE = {
    "pagination": {
        "page": 1,
        "per_page": 50,
        "previous_page": None,
        "next_page": None,
        "last_page": 1,
        "total_entries": 1,
    }
}
PAGE = [("page", "1"), ("per_page", "50")]

#: Public methods pinned by a dedicated test (registered with ``@covers``).
COVERED: set[str] = set()

F = TypeVar("F", bound=Callable[..., Any])


def covers(*calls: str) -> Callable[[F], F]:
    """Mark a test as the one that pins these public methods (for the meta-test)."""

    def mark(test: F) -> F:
        COVERED.update(calls)
        return test

    return mark


@attrs.frozen
class WireCase:
    """One call of a public method and exactly what it must send.

    A method that returns an async iterator (``iter``, ``iter_actions``) is iterated to the end.
    """

    call: str  # "group.method"
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    method: str
    path: str
    query: list[tuple[str, str]]
    body: dict[str, Any] | None
    status: int
    response: Any

    @property
    def id(self) -> str:
        return self.call


def page_of(key: str, item: Any) -> dict[str, Any]:
    """Return a one-item last page of a listing, as the API sends it."""
    # A copy: tests edit the page they get (next_page=2), which must not leak into LAST_PAGE.
    return {key: [item], "meta": copy.deepcopy(LAST_PAGE)}


def action_listing_cases(group: str, path: str, resource_id: int) -> list[WireCase]:
    """Return the rows for a group's ``list_actions``, ``iter_actions`` and ``get_action``."""
    actions = page_of("actions", ACTION["action"])
    return [
        WireCase(
            f"{group}.list_actions",
            (),
            {"id": [7, 8], "status": ["running"], "sort": "id:desc"},
            "GET",
            f"/v1/{path}/actions",
            [("id", "7"), ("id", "8"), ("status", "running"), ("sort", "id:desc"), *PAGE],
            None,
            200,
            actions,
        ),
        WireCase(
            f"{group}.iter_actions",
            (resource_id,),
            {"status": "success"},
            "GET",
            f"/v1/{path}/{resource_id}/actions",
            [("status", "success"), *PAGE],
            None,
            200,
            actions,
        ),
        WireCase(
            f"{group}.get_action",
            (13,),
            {},
            "GET",
            f"/v1/{path}/actions/13",
            [],
            None,
            200,
            ACTION,
        ),
    ]
