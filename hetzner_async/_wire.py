"""Pure protocol logic: rate-limit headers, response bodies, the error envelope, redaction.

Nothing here does I/O; every function takes what came off the wire and returns data, so the
rules are tested as tables without an event loop.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from typing import Any

import attrs

from ._retry import IDEMPOTENT_METHODS
from .errors import (
    APIError,
    AppliedButUnreadableError,
    RateLimitError,
    UnexpectedResponseError,
    error_class_for,
)

__all__ = [
    "RateLimit",
    "decode_body",
    "decode_error",
    "path_template",
    "redact",
]

#: How much of an unreadable body an error message quotes.
EXCERPT_CHARS = 200

REDACTED = "<redacted>"
#: A token prefix at least this long that shows up in a message is treated as the token.
_MIN_SECRET_PREFIX = 6


@attrs.frozen
class RateLimit:
    """The project's request budget as the last response reported it.

    ``reset`` is when the bucket is *full* again, not when the next request is allowed:
    the budget refills gradually (at 3600/h, one request a second).
    https://docs.hetzner.cloud/reference/cloud#rate-limiting
    """

    limit: int
    remaining: int
    reset: dt.datetime

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> RateLimit | None:
        """Read ``RateLimit-Limit``, ``-Remaining`` and ``-Reset``; None when any is missing.

        A header that cannot be read is treated as missing: a non-integer, a limit below 1, or
        a reset no ``datetime`` can hold (some gateways send milliseconds instead of seconds).
        """
        try:
            limit = int(headers["RateLimit-Limit"])
            remaining = int(headers["RateLimit-Remaining"])
            reset = dt.datetime.fromtimestamp(int(headers["RateLimit-Reset"]), tz=dt.UTC)
        except (KeyError, ValueError, OverflowError, OSError):
            return None
        if limit < 1:
            return None
        return cls(limit=limit, remaining=max(0, min(remaining, limit)), reset=reset)

    def refill_rate(self, now: dt.datetime) -> float | None:
        """Return requests regained per second, derived from how far the bucket is from full.

        None when the bucket is full (nothing to derive from) or the reset is already past.
        """
        missing = self.limit - self.remaining
        until_full = (self.reset - now).total_seconds()
        if missing <= 0 or until_full <= 0:
            return None
        return missing / until_full

    def seconds_until_available(self, now: dt.datetime, needed: int = 1) -> float:
        """Return how long to wait until ``needed`` requests are available again.

        The bucket refills linearly and is full at ``reset``, so ``k`` missing requests come back
        after ``k / rate`` seconds. The wait never exceeds the time until ``reset``.
        """
        deficit = needed - self.remaining
        if deficit <= 0:
            return 0.0
        until_full = max(0.0, (self.reset - now).total_seconds())
        rate = self.refill_rate(now)
        if rate is None:
            return 0.0
        return min(until_full, deficit / rate)


_ID_SEGMENT = re.compile(r"/\d+(?=/|$)")


def path_template(path: str) -> str:
    """Replace numeric IDs in a path so that metrics group by endpoint, not by resource."""
    return _ID_SEGMENT.sub("/{id}", path)


def correlation_id(headers: Mapping[str, str]) -> str | None:
    """Return the ``X-Correlation-Id`` the API sets on every response, if present."""
    return headers.get("X-Correlation-Id")


def redact(text: str, secrets: tuple[str, ...]) -> str:
    """Replace each secret, and any long prefix of one, with a marker.

    The API's rate-limit message quotes the start of the token ("for token '6MWq3U8c…'"),
    so removing only the whole token is not enough.
    """
    for secret in secrets:
        if not secret:
            continue
        for length in range(len(secret), _MIN_SECRET_PREFIX - 1, -1):
            prefix = secret[:length]
            if prefix in text:
                text = text.replace(prefix, REDACTED)
    return text


#: JSON fields whose values are secrets; an excerpt of a broken body must not quote them.
_SECRET_FIELDS = re.compile(
    r'("(?:root_password|password|wss_url|user_data|token|private_key|tsig_key)"\s*:\s*)'
    r'"(?:[^"\\]|\\.)*("|$)'
)


def redact_body(body: bytes) -> str:
    """Return a whole body as text with the values of secret fields removed."""
    text = body.decode("utf-8", errors="replace").strip()
    return _SECRET_FIELDS.sub(lambda m: f'{m.group(1)}"{REDACTED}"', text)


def excerpt(body: bytes) -> str:
    """Return the start of a body as readable text, secrets removed, for error messages."""
    text = " ".join(redact_body(body).split())
    if len(text) > EXCERPT_CHARS:
        return text[:EXCERPT_CHARS] + "…"
    return text


def _unreadable(status: int, body: bytes, reason: str, method: str, path: str) -> APIError:
    if method.upper() in IDEMPOTENT_METHODS:
        # Safe to ask again: the transport retries it like any transient failure.
        return UnexpectedResponseError(
            status=status, code="unexpected_response", message=reason, method=method, path=path
        )
    # A POST answered with success was applied whatever its body says: never "maybe".
    return AppliedButUnreadableError(
        status=status, reason=reason, body=redact_body(body), method=method, path=path
    )


def decode_body(status: int, body: bytes, *, method: str, path: str) -> dict[str, Any]:
    """Decode a successful response's JSON object; an empty body (204) is ``{}``.

    A body that is not a JSON object raises ``UnexpectedResponseError``, and for a request that
    is not idempotent (a POST) ``AppliedButUnreadableError``: it was applied.
    """
    if not body.strip():
        return {}
    try:
        data = json.loads(body)
    except ValueError as exc:
        reason = f"response is not JSON: {excerpt(body)!r}"
        raise _unreadable(status, body, reason, method, path) from exc
    if not isinstance(data, dict):
        reason = f"response is not a JSON object: {excerpt(body)!r}"
        raise _unreadable(status, body, reason, method, path)
    return data


def _envelope(body: bytes) -> dict[str, Any] | None:
    """Return the ``error`` object of a Hetzner error envelope, or None if it is not one."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    error = data.get("error")
    if not isinstance(error, dict) or not isinstance(error.get("code"), str):
        return None
    return error


# The API answers an unknown path under /v1 with its own envelope (`not_found`); a bare 404 means
# the request missed the API, most often because the endpoint lacks the version prefix.
_WRONG_ENDPOINT_HINT = (
    "; is the endpoint right? The API's paths start with /v1 "
    "(endpoint='https://api.hetzner.cloud/v1', or HCLOUD_ENDPOINT=http://127.0.0.1:8080/v1 "
    "for a local fake)"
)


def decode_error(
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    *,
    method: str,
    path: str,
    secrets: tuple[str, ...] = (),
) -> APIError:
    """Turn an error response into the matching ``APIError``; never raises while decoding.

    A body that is not the envelope (a proxy's HTML 502, a framework's 500 page) still gives an
    error with the status and a short excerpt, chosen by the status alone.
    """
    envelope = _envelope(body)
    if envelope is not None:
        code: str = envelope["code"]
        message = str(envelope.get("message") or code)
        details = envelope.get("details")
        cls = error_class_for(code, status)
    else:
        code = f"http_{status}"
        text = excerpt(body)
        message = f"HTTP {status} without an API error body" + (f": {text!r}" if text else "")
        if status == 404:
            message += _WRONG_ENDPOINT_HINT
        details = None
        cls = error_class_for(None, status)
    fields: dict[str, Any] = {
        "status": status,
        "code": code,
        "message": redact(message, secrets),
        "details": details if isinstance(details, dict) else None,
        "correlation_id": correlation_id(headers),
        "method": method,
        "path": path,
    }
    if issubclass(cls, RateLimitError):
        rate_limit = RateLimit.from_headers(headers)
        return cls(reset=rate_limit.reset if rate_limit else None, **fields)
    return cls(**fields)
