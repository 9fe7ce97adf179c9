"""Edges of the wire rules: rate-limit boundaries, what an error quotes, and what it must hide."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from hetzner_async import errors
from hetzner_async._wire import EXCERPT_CHARS, RateLimit, decode_body, decode_error, excerpt, redact

NOW = dt.datetime(2026, 11, 25, 12, 0, 0, tzinfo=dt.UTC)


def _bucket(limit: int, remaining: int, until_full: float) -> RateLimit:
    return RateLimit(limit, remaining, NOW + dt.timedelta(seconds=until_full))


# --- the rate-limit bucket ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("limit", "remaining", "until_full", "rate"),
    [
        # Full, with the reset still ahead (the API keeps sending one): nothing to derive from.
        (10, 10, 5, None),
        # One request missing is enough to derive the rate from.
        (10, 9, 5, 0.2),
        # Missing requests, but the reset is now: no rate, never a division by zero.
        (10, 0, 0, None),
        # Less than a second to the reset is still a rate (a fast gateway's small bucket).
        (10, 5, 0.5, 10.0),
    ],
)
def test_refill_rate_at_its_boundaries(
    limit: int, remaining: int, until_full: float, rate: float | None
) -> None:
    got = _bucket(limit, remaining, until_full).refill_rate(NOW)
    assert got == (pytest.approx(rate) if rate is not None else None)


def test_one_request_is_what_a_wait_asks_for_by_default() -> None:
    # One request left: the next one goes now.
    assert _bucket(10, 1, 9).seconds_until_available(NOW) == 0.0
    assert _bucket(10, 0, 10).seconds_until_available(NOW) == pytest.approx(1.0)


def test_a_wait_never_outlasts_a_reset_less_than_a_second_away() -> None:
    # Asking for more than the bucket holds waits until the reset, here half a second.
    assert _bucket(10, 0, 0.5).seconds_until_available(NOW, needed=50) == pytest.approx(0.5)


# --- redaction ------------------------------------------------------------------------------------

SECRET = "abcdefghij"


@pytest.mark.parametrize("length", range(6, len(SECRET) + 1))
def test_redact_removes_a_quoted_prefix_of_every_length_from_six(length: int) -> None:
    # The API cuts the token where it likes ("for token '6MWq3U8c…'"): no character may remain.
    text = f"for token '{SECRET[:length]}…' reached"
    assert redact(text, (SECRET,)) == "for token '<redacted>…' reached"


def test_redact_skips_an_empty_secret_and_goes_on_to_the_next() -> None:
    # An unset token in the tuple (an empty string) must not end the search for the real one.
    assert redact(f"token {SECRET}", ("", SECRET)) == "token <redacted>"


# --- excerpts -------------------------------------------------------------------------------------


def test_an_excerpt_of_exactly_the_limit_is_quoted_whole() -> None:
    assert excerpt(b"y" * EXCERPT_CHARS) == "y" * EXCERPT_CHARS
    assert excerpt(b"y" * (EXCERPT_CHARS + 1)) == "y" * EXCERPT_CHARS + "…"


# --- error answers that are not the envelope ------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (
            502,
            b"<html><body>\n  <h1>502 Bad Gateway</h1>\n</body></html>",
            "HTTP 502 without an API error body: "
            "'<html><body> <h1>502 Bad Gateway</h1> </body></html>'",
        ),
        # Nothing to quote: no empty quotes either.
        (504, b"", "HTTP 504 without an API error body"),
        (503, b"  \n ", "HTTP 503 without an API error body"),
        # A gateway that is not UTF-8 still gives an error, never a UnicodeDecodeError.
        (502, b"Bad \xff Gateway", "HTTP 502 without an API error body: 'Bad \ufffd Gateway'"),
    ],
    ids=["html page", "empty", "blank", "not utf-8"],
)
def test_an_error_without_the_envelope_quotes_its_body(
    status: int, body: bytes, message: str
) -> None:
    error = decode_error(status, {}, body, method="GET", path="/servers")
    assert error.message == message


def test_an_error_body_quotes_no_secret_field() -> None:
    body = b'{"root_password": "YzhX8aQ2", "oops": '  # an answer cut off by a proxy
    error = decode_error(500, {}, body, method="POST", path="/servers")
    assert error.message == (
        'HTTP 500 without an API error body: \'{"root_password": "<redacted>", "oops":\''
    )


@pytest.mark.parametrize("details", [["not", "an", "object"], "text", 3])
def test_envelope_details_that_are_not_an_object_are_dropped(details: object) -> None:
    body = json.dumps({"error": {"code": "invalid_input", "message": "m", "details": details}})
    error = decode_error(422, {}, body.encode(), method="POST", path="/servers")
    assert error.details == {}


# --- success answers that cannot be read ----------------------------------------------------------

UNREADABLE = [
    pytest.param(b"<html>oops</html>", "response is not JSON: '<html>oops</html>'", id="not json"),
    pytest.param(b"[1, 2]", "response is not a JSON object: '[1, 2]'", id="not an object"),
]


@pytest.mark.parametrize(("body", "reason"), UNREADABLE)
def test_an_unreadable_answer_to_a_get_is_an_unexpected_response(body: bytes, reason: str) -> None:
    with pytest.raises(errors.UnexpectedResponseError) as raised:
        decode_body(200, body, method="GET", path="/servers/42")
    error = raised.value
    # Not "applied": asking again is safe, and the transport does.
    assert type(error) is errors.UnexpectedResponseError
    assert error.status == 200
    assert error.code == "unexpected_response"
    assert error.message == reason
    assert (error.method, error.path) == ("GET", "/servers/42")
    assert str(error) == f"{reason} (unexpected_response, HTTP 200 on GET /servers/42)"


@pytest.mark.parametrize(("body", "reason"), UNREADABLE)
def test_an_unreadable_answer_to_a_post_says_it_was_applied(body: bytes, reason: str) -> None:
    with pytest.raises(errors.AppliedButUnreadableError) as raised:
        decode_body(201, body, method="POST", path="/servers")
    error = raised.value
    assert error.status == 201
    assert error.reason == reason
    assert (error.method, error.path) == ("POST", "/servers")
    assert error.body == body.decode()


def test_the_body_of_an_applied_answer_keeps_its_shape_and_loses_its_secrets() -> None:
    body = b'{"server": {"id": 42}, "root_password": "YzhX8aQ2", "next_actions": ['
    with pytest.raises(errors.AppliedButUnreadableError) as raised:
        decode_body(201, body, method="POST", path="/servers")
    # Which field was removed stays readable; only its value is gone.
    assert raised.value.body == (
        '{"server": {"id": 42}, "root_password": "<redacted>", "next_actions": ['
    )
