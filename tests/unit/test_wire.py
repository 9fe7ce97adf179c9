"""Pure protocol logic: rate-limit headers, waits, body and error decoding, redaction."""

from __future__ import annotations

import datetime as dt

import pytest

from hetzner_async import errors
from hetzner_async._wire import RateLimit, decode_body, decode_error, excerpt, redact

NOW = dt.datetime(2026, 11, 25, 12, 0, 0, tzinfo=dt.UTC)
T0 = int(NOW.timestamp())


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            {
                "RateLimit-Limit": "3600",
                "RateLimit-Remaining": "3599",
                "RateLimit-Reset": str(T0 + 1),
            },
            RateLimit(3600, 3599, NOW + dt.timedelta(seconds=1)),
        ),
        (
            {"RateLimit-Limit": "100", "RateLimit-Remaining": "0", "RateLimit-Reset": str(T0 + 10)},
            RateLimit(100, 0, NOW + dt.timedelta(seconds=10)),
        ),
        # Remaining is clamped into [0, limit].
        (
            {"RateLimit-Limit": "10", "RateLimit-Remaining": "-3", "RateLimit-Reset": str(T0)},
            RateLimit(10, 0, NOW),
        ),
        ({"RateLimit-Limit": "10", "RateLimit-Remaining": "3"}, None),
        ({"RateLimit-Limit": "x", "RateLimit-Remaining": "3", "RateLimit-Reset": "1"}, None),
        ({}, None),
    ],
)
def test_rate_limit_from_headers(headers: dict[str, str], expected: RateLimit | None) -> None:
    assert RateLimit.from_headers(headers) == expected


@pytest.mark.parametrize(
    ("limit", "remaining", "reset"),
    [
        ("3600", "3599", str(T0 * 1000)),  # milliseconds, as some gateways send: year 58000
        ("3600", "3599", "9" * 30),  # beyond any integer a timestamp can hold
        ("3600", "3599", "-" + "9" * 20),
        ("3600", "3599", "1.7e9"),
        ("3600", "3599", ""),
        ("0", "0", str(T0)),  # a bucket of nothing would stall every request forever
        ("-5", "0", str(T0)),
        ("3600.0", "3599", str(T0)),
        ("3600", "many", str(T0)),
    ],
)
def test_unreadable_rate_limit_headers_count_as_missing(
    limit: str, remaining: str, reset: str
) -> None:
    headers = {"RateLimit-Limit": limit, "RateLimit-Remaining": remaining, "RateLimit-Reset": reset}
    assert RateLimit.from_headers(headers) is None


def test_rate_limit_reset_is_an_aware_datetime() -> None:
    rl = RateLimit.from_headers(
        {"RateLimit-Limit": "1", "RateLimit-Remaining": "1", "RateLimit-Reset": str(T0)}
    )
    assert rl is not None
    assert rl.reset.tzinfo is not None
    assert rl.reset == NOW


@pytest.mark.parametrize(
    ("limit", "remaining", "until_full", "needed", "wait"),
    [
        # 3600/h, empty: one request is back after 1 s, not after the full hour.
        (3600, 0, 3600, 1, 1.0),
        # Same bucket, 5 requests needed: 5 s.
        (3600, 0, 3600, 5, 5.0),
        # Budget left: no wait.
        (3600, 10, 3590, 1, 0.0),
        # limit 50 refilling 25/s: empty bucket is full in 2 s, one request in 0.04 s.
        (50, 0, 2, 1, 0.04),
        # Never longer than until the reset, even when asking for more than the limit.
        (10, 0, 10, 50, 10.0),
        # Reset already past: the bucket must be full, nothing to wait for.
        (10, 0, -5, 1, 0.0),
    ],
)
def test_seconds_until_available(
    limit: int, remaining: int, until_full: float, needed: int, wait: float
) -> None:
    rl = RateLimit(limit, remaining, NOW + dt.timedelta(seconds=until_full))
    assert rl.seconds_until_available(NOW, needed) == pytest.approx(wait)


@pytest.mark.parametrize(
    ("limit", "remaining", "until_full", "rate"),
    [(3600, 0, 3600, 1.0), (3600, 1800, 1800, 1.0), (50, 0, 2, 25.0), (10, 10, 0, None)],
)
def test_refill_rate_follows_from_the_headers(
    limit: int, remaining: int, until_full: float, rate: float | None
) -> None:
    rl = RateLimit(limit, remaining, NOW + dt.timedelta(seconds=until_full))
    assert rl.refill_rate(NOW) == (pytest.approx(rate) if rate is not None else None)


def _envelope(code: str, message: str = "m", details: object = None) -> bytes:
    import json

    return json.dumps({"error": {"code": code, "message": message, "details": details}}).encode()


@pytest.mark.parametrize(
    ("status", "body", "cls", "code"),
    [
        (404, _envelope("not_found"), errors.NotFoundError, "not_found"),
        (409, _envelope("uniqueness_error"), errors.UniquenessError, "uniqueness_error"),
        (409, _envelope("conflict"), errors.ConflictError, "conflict"),
        (422, _envelope("invalid_input"), errors.InvalidInputError, "invalid_input"),
        (423, _envelope("locked"), errors.LockedError, "locked"),
        (423, _envelope("protected"), errors.ProtectedError, "protected"),
        (429, _envelope("rate_limit_exceeded"), errors.RateLimitError, "rate_limit_exceeded"),
        (401, _envelope("unauthorized"), errors.UnauthorizedError, "unauthorized"),
        (401, _envelope("token_readonly"), errors.TokenReadonlyError, "token_readonly"),
        (403, _envelope("forbidden"), errors.ForbiddenError, "forbidden"),
        (
            403,
            _envelope("resource_limit_exceeded"),
            errors.ResourceLimitError,
            "resource_limit_exceeded",
        ),
        (403, _envelope("maintenance"), errors.MaintenanceError, "maintenance"),
        (500, _envelope("server_error"), errors.ServerError, "server_error"),
        (503, _envelope("unavailable"), errors.UnavailableError, "unavailable"),
        (504, _envelope("timeout"), errors.GatewayTimeoutError, "timeout"),
        (502, _envelope("bad_gateway"), errors.BadGatewayError, "bad_gateway"),
        # A code this SDK does not know keeps its code and gets the generic class.
        (422, _envelope("placement_error"), errors.APIError, "placement_error"),
        (500, _envelope("brand_new_failure"), errors.ServerError, "brand_new_failure"),
        # Bodies that are not the envelope: chosen by status, never a decode traceback.
        (
            502,
            b"<html><body><h1>502 Bad Gateway</h1></body></html>",
            errors.BadGatewayError,
            "http_502",
        ),
        (500, b"Internal Server Error", errors.ServerError, "http_500"),
        (504, b"", errors.GatewayTimeoutError, "http_504"),
        (400, b'{"message": "no envelope"}', errors.InvalidJSONError, "http_400"),
        (418, b"[1, 2]", errors.APIError, "http_418"),
        (429, b"Too Many Requests", errors.RateLimitError, "http_429"),
    ],
)
def test_decode_error_picks_the_class_by_code_then_status(
    status: int, body: bytes, cls: type[errors.APIError], code: str
) -> None:
    error = decode_error(
        status, {"X-Correlation-Id": "abc123"}, body, method="GET", path="/servers"
    )
    assert type(error) is cls
    assert error.status == status
    assert error.code == code
    assert error.correlation_id == "abc123"


def test_decode_error_quotes_a_short_excerpt_of_an_html_body() -> None:
    body = b"<html>" + b"x" * 5000 + b"</html>"
    error = decode_error(502, {}, body, method="POST", path="/servers")
    assert "HTTP 502" in error.message
    assert len(error.message) < 300


def test_decode_error_carries_details_and_field_messages() -> None:
    body = _envelope(
        "invalid_input",
        "invalid input in field 'name'",
        {"fields": [{"name": "name", "messages": ["must be a valid hostname"]}]},
    )
    error = decode_error(422, {}, body, method="POST", path="/servers")
    assert isinstance(error, errors.InvalidInputError)
    assert error.fields == {"name": ["must be a valid hostname"]}
    assert "must be a valid hostname" in str(error)


def test_decode_error_of_a_429_carries_the_reset_time() -> None:
    headers = {"RateLimit-Limit": "3600", "RateLimit-Remaining": "0", "RateLimit-Reset": str(T0)}
    error = decode_error(429, headers, _envelope("rate_limit_exceeded"), method="GET", path="/x")
    assert isinstance(error, errors.RateLimitError)
    assert error.reset == NOW


def test_decode_error_redacts_a_token_prefix_the_api_echoes() -> None:
    token = "6MWq3U8cSecretTokenValue0123456789"
    body = _envelope(
        "rate_limit_exceeded", "Limit of '3600' requests per hour for token '6MWq3U8c…' reached."
    )
    error = decode_error(429, {}, body, method="GET", path="/servers", secrets=(token,))
    assert "6MWq3U8c" not in str(error)
    assert "<redacted>" in error.message


@pytest.mark.parametrize(
    ("text", "secrets", "expected"),
    [
        ("token abcdefghij here", ("abcdefghij",), "token <redacted> here"),
        ("prefix abcdef… here", ("abcdefghij",), "prefix <redacted>… here"),
        # Five characters are too short to be a recognisable token prefix.
        ("word abcde here", ("abcdefghij",), "word abcde here"),
        ("nothing", ("",), "nothing"),
    ],
)
def test_redact(text: str, secrets: tuple[str, ...], expected: str) -> None:
    assert redact(text, secrets) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [(b"", {}), (b"  ", {}), (b'{"server": {"id": 1}}', {"server": {"id": 1}})],
)
def test_decode_body(body: bytes, expected: dict[str, object]) -> None:
    assert decode_body(200, body, method="GET", path="/x") == expected


@pytest.mark.parametrize("body", [b"<html>", b'{"truncated": ', b"[1, 2]"])
def test_decode_body_rejects_what_is_not_a_json_object(body: bytes) -> None:
    with pytest.raises(errors.UnexpectedResponseError) as raised:
        decode_body(201, body, method="POST", path="/servers")
    assert raised.value.status == 201


def test_excerpt_folds_whitespace_and_truncates() -> None:
    assert excerpt(b"a\n\n  b") == "a b"
    assert excerpt(b"y" * 500).endswith("…")


@pytest.mark.parametrize(
    ("body", "secret"),
    [
        (b'{"server": {"id": 1}, "root_password": "YzhX8aQ2", "next_actions": [', "YzhX8aQ2"),
        (b'{"action": {"id": 1}, "root_password": "YzhX8aQ2', "YzhX8aQ2"),  # cut mid-value
        (b'{"wss_url": "wss://web.console.hetzner.cloud/?token=abc123", "pass', "abc123"),
        (b'{"password": "9MQaTg2V\\"AGI0", "action": {}', "AGI0"),
        (b'{"user_data": "#cloud-config secret-bits', "secret-bits"),
        (b'{"private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEv', "MIIEv"),
        (b'{"primary_nameservers": [{"tsig_key": "c2VjcmV0', "c2VjcmV0"),
    ],
)
def test_an_unreadable_body_quoted_in_an_error_never_shows_a_secret(
    body: bytes, secret: str
) -> None:
    with pytest.raises(errors.UnexpectedResponseError) as raised:
        decode_body(201, body, method="POST", path="/servers")
    assert secret not in str(raised.value)
    assert "<redacted>" in str(raised.value)
