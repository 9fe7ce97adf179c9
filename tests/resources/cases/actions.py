"""Wire cases of ``hz.actions``."""

from __future__ import annotations

from ...examples import example
from ._core import ACTION, WireCase

CASES = [
    WireCase("actions.get", (42,), {}, "GET", "/v1/actions/42", [], None, 200, ACTION),
    WireCase(
        "actions.get_many",
        ([42, 43],),
        {},
        "GET",
        "/v1/actions",
        [("id", "42"), ("id", "43")],
        None,
        200,
        example("actions_list_response"),
    ),
]
