"""The API's example payloads the converter tests read, and the few helpers they share."""

from __future__ import annotations

import copy
import json
import logging
from pathlib import Path
from typing import Any

import pytest

from hetzner_async._convert import converter, strict_converter
from hetzner_async.models import Pagination

EXAMPLES = Path(__file__).parents[1] / "spec" / "examples"
#: Run a test with the production (lenient) converter and with the strict one.
BOTH = pytest.mark.parametrize("conv", [converter, strict_converter], ids=["lenient", "strict"])
#: A value no error message or log line may quote.
SECRET = "hunter2-do-not-log"


def _example(name: str, key: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / name).read_text())[key]
    return data


SSH_KEY = _example("ssh_key.json", "ssh_key")
SERVER = _example("server.json", "server")
ACTION = _example("action.json", "action")
CREATE_SERVER: dict[str, Any] = json.loads((EXAMPLES / "create_server_response.json").read_text())

#: The one page of a listing: no previous or next page, keys the API sends even when null.
ONLY_PAGE = Pagination(
    page=1, per_page=25, previous_page=None, next_page=None, last_page=1, total_entries=0
)
ONLY_PAGE_SENT = {
    "page": 1,
    "per_page": 25,
    "previous_page": None,
    "next_page": None,
    "last_page": 1,
    "total_entries": 0,
}


def without(data: dict[str, Any], *path: str) -> dict[str, Any]:
    """Return a deep copy of ``data`` with the key at ``path`` removed."""
    copied = copy.deepcopy(data)
    parent = copied
    for key in path[:-1]:
        parent = parent[key]
    del parent[path[-1]]
    return copied


def warnings_in(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Return the messages of the warnings ``caplog`` captured."""
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
