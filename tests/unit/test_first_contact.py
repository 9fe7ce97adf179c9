"""What a new user meets first: quiet logging, a hint for a wrong endpoint, short messages."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

from hetzner_async._wire import decode_error
from hetzner_async.errors import NotFoundError, ValidationError
from hetzner_async.errors._root import _shorten_values


def test_the_library_logger_has_a_null_handler() -> None:
    handlers = logging.getLogger("hetzner_async").handlers
    assert any(isinstance(h, logging.NullHandler) for h in handlers)


def test_a_warning_does_not_reach_stderr_of_an_unconfigured_application() -> None:
    code = (
        "import logging, hetzner_async\n"
        "logging.getLogger('hetzner_async').warning('budget is low')\n"
        "logging.getLogger('other').warning('not ours')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert "budget is low" not in done.stderr
    assert "not ours" in done.stderr  # logging's last resort still works for others


def test_a_bare_404_says_to_check_the_endpoint() -> None:
    error = decode_error(404, {}, b"404: Not Found", method="GET", path="/servers")
    assert isinstance(error, NotFoundError)
    assert "'404: Not Found'" in str(error)
    assert "/v1" in str(error)
    assert "https://api.hetzner.cloud/v1" in str(error)


def test_the_api_s_own_404_has_no_hint() -> None:
    body = b'{"error": {"code": "not_found", "message": "server with ID 7 not found"}}'
    error = decode_error(404, {}, body, method="GET", path="/servers/7")
    assert error.message == "server with ID 7 not found"


LONG = "x" * 300
QUOTED = "it's" * 30  # repr in double quotes
PROSE = "key 'a.' is invalid: " + "z" * 80 + " and '/'"


@pytest.mark.parametrize(
    ("message", "shown"),
    [
        (f"{LONG!r} is not a valid name", f"'{'x' * 60}…' (300 characters) is not a valid name"),
        (f"value {'y' * 61!r} bad", f"value '{'y' * 60}…' (61 characters) bad"),
        (f"value {'y' * 60!r} bad", f"value '{'y' * 60}' bad"),
        (f"[{LONG!r}, 'a']", f"['{'x' * 60}…' (300 characters), 'a']"),
        ("value " + repr(QUOTED), 'value "' + QUOTED[:60] + '…" (120 characters)'),
        # Prose between two short quoted values is not a value, however long.
        (PROSE, PROSE),
    ],
)
def test_long_values_are_cut(message: str, shown: str) -> None:
    assert _shorten_values(message) == shown


def test_a_validation_error_cuts_the_value_but_keeps_the_field() -> None:
    error = ValidationError("name", f"{LONG!r} is not a valid RFC 1123 host name")
    assert str(error).startswith("name: 'xxx")
    assert len(str(error)) < 140
    assert error.field == "name"
