"""The tolerant reader's edges: what each warning says, what is left out, what stays required."""

from __future__ import annotations

import copy
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hetzner_async import _tolerant
from hetzner_async._convert import converter, structure
from hetzner_async.models import Server

EXAMPLES = Path(__file__).parents[1] / "spec" / "examples"
SERVER: dict[str, Any] = json.loads((EXAMPLES / "server.json").read_text())["server"]


@pytest.fixture(autouse=True)
def _fresh_warnings() -> Iterator[None]:
    """Each test sees the once-per-process warnings as if the process had just started."""
    saved = set(_tolerant._warned)
    _tolerant._warned.clear()
    yield
    _tolerant._warned.clear()
    _tolerant._warned.update(saved)


def test_an_optional_field_of_another_json_type_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    payload = {**copy.deepcopy(SERVER), "placement_group": "pg-1"}
    with caplog.at_level(logging.WARNING, logger="hetzner_async"):
        server = structure(converter, payload, Server)
    assert server.placement_group is None
    assert [r.getMessage() for r in caplog.records] == [
        "the API sent Server.placement_group as a string where an object was expected; "
        "it reads as its default"
    ]
