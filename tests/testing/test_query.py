"""Pagination, sorting and the Link header (pure helpers)."""

import pytest
from yarl import URL

from hetzner_async.testing.errors import ApiError
from hetzner_async.testing.query import link_header, paginate, parse_page, sort_items

ITEMS = [{"id": i, "name": f"n{i % 3}", "created": f"2024-01-0{10 - i}"} for i in range(1, 8)]


def test_paginate_middle_page() -> None:
    chunk, meta = paginate(ITEMS, page=2, per_page=3)
    assert [i["id"] for i in chunk] == [4, 5, 6]
    assert meta == {
        "page": 2,
        "per_page": 3,
        "previous_page": 1,
        "next_page": 3,
        "last_page": 3,
        "total_entries": 7,
    }


def test_paginate_empty_list_has_one_page() -> None:
    chunk, meta = paginate([], page=1, per_page=25)
    assert chunk == []
    assert meta["last_page"] == 1
    assert meta["next_page"] is None
    assert meta["previous_page"] is None


def test_parse_page_clamps_and_rejects() -> None:
    assert parse_page({}, 50) == (1, 25)
    assert parse_page({"page": "3", "per_page": "500"}, 50) == (3, 50)
    for bad in ({"page": "0"}, {"per_page": "x"}, {"page": "-1"}):
        with pytest.raises(ApiError) as info:
            parse_page(bad, 50)
        assert info.value.code == "invalid_input"


def test_link_header() -> None:
    url = URL("http://127.0.0.1:1/v1/servers?per_page=3&name=x")
    _, meta = paginate(ITEMS, 2, 3)
    link = link_header(url, meta)
    assert link is not None
    parts = dict((p.split("; ")[1], p.split("; ")[0].strip("<>")) for p in link.split(", "))
    assert URL(parts['rel="prev"']).query == {"per_page": "3", "name": "x", "page": "1"}
    assert URL(parts['rel="next"']).query["page"] == "3"
    assert URL(parts['rel="last"']).query["page"] == "3"
    _, single = paginate(ITEMS[:1], 1, 3)
    assert link_header(url, single) == f'<{url.update_query(page="1")}>; rel="last"'


@pytest.mark.parametrize(
    ("sorts", "ids"),
    [
        ([], [1, 2, 3, 4, 5, 6, 7]),
        (["id:desc"], [7, 6, 5, 4, 3, 2, 1]),
        (["created"], [7, 6, 5, 4, 3, 2, 1]),
        (["name", "id:desc"], [6, 3, 7, 4, 1, 5, 2]),
        (["name:desc", "created:asc"], [5, 2, 7, 4, 1, 6, 3]),
    ],
)
def test_sort(sorts: list[str], ids: list[int]) -> None:
    assert [i["id"] for i in sort_items(ITEMS, sorts, ("id", "name", "created"))] == ids


def test_sort_rejects_unknown_fields_and_directions() -> None:
    for bad in (["created"], ["id:up"]):
        with pytest.raises(ApiError):
            sort_items(ITEMS, bad, ("id", "name"))
