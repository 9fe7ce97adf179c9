"""Pure retry policy: which failures are retried, and how long to wait before the next try.

Two policies are kept apart: a 429 waits on the rate-limit headers (the server says how long),
every other transient failure waits with capped exponential backoff and full jitter.
"""

from __future__ import annotations

import enum
import random

import attrs

from .errors import (
    APIConnectionError,
    APIError,
    AppliedButUnreadableError,
    ConflictError,
    HetznerError,
    RateLimitError,
    UnexpectedResponseError,
)

__all__ = [
    "IDEMPOTENT_METHODS",
    "Decision",
    "RetryPolicy",
    "decide",
    "may_have_been_applied",
    "resend_wait",
]

#: Methods whose repetition cannot create a second side effect. Hetzner's PUT replaces
#: name/labels and its DELETE of a gone resource answers not_found, so both are safe to repeat.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


@attrs.frozen
class RetryPolicy:
    """How often and how long transient failures are retried; all values configurable."""

    #: Total tries for transient failures (network errors, 5xx, ``conflict``), first one included.
    max_attempts: int = attrs.field(default=5, validator=attrs.validators.ge(1))
    #: First backoff interval in seconds; doubles each try.
    base: float = attrs.field(default=1.0, validator=attrs.validators.gt(0))
    #: Longest backoff interval in seconds.
    cap: float = attrs.field(default=30.0, validator=attrs.validators.gt(0))
    #: Total tries for 429s, each of which waits on the headers.
    max_rate_limit_attempts: int = attrs.field(default=10, validator=attrs.validators.ge(1))
    #: Longest a single 429 may make a request wait before ``RateLimitError`` is raised.
    max_rate_limit_wait: float = attrs.field(default=300.0, validator=attrs.validators.ge(0))


class Decision(enum.Enum):
    """What the transport does with a failed try."""

    RAISE = "raise"
    WAIT_FOR_BUDGET = "wait_for_budget"
    BACKOFF = "backoff"
    AMBIGUOUS = "ambiguous"


def may_have_been_applied(error: HetznerError) -> bool:
    """Tell whether a failure leaves open that the API acted on the request."""
    if isinstance(error, APIConnectionError):
        return error.sent
    if isinstance(error, UnexpectedResponseError):
        # The API answered but the body was unreadable: for a 2xx the change happened.
        return True
    return isinstance(error, APIError) and error.status >= 500


def decide(error: HetznerError, method: str) -> Decision:
    """Decide how the transport treats ``error`` raised by a ``method`` request.

    - a 429 never reached processing: wait for budget, any method;
    - a non-idempotent request answered 2xx with an unreadable body was applied: raise;
    - ``conflict`` means the change was not applied and the API asks to retry: back off;
    - a failure that may have applied the request is retried only for idempotent methods,
      and is ambiguous otherwise (the API has no idempotency key);
    - a request that never left the client is retried;
    - every other error fails fast.
    """
    if isinstance(error, RateLimitError):
        return Decision.WAIT_FOR_BUDGET
    if isinstance(error, AppliedButUnreadableError):
        return Decision.RAISE  # answered with success: applied, not "maybe", and never re-sent
    if isinstance(error, ConflictError):
        return Decision.BACKOFF
    if isinstance(error, APIConnectionError) and not error.sent:
        return Decision.BACKOFF
    transient = isinstance(error, APIConnectionError) or (
        isinstance(error, APIError)
        and (error.retriable or isinstance(error, UnexpectedResponseError))
    )
    if not transient:
        return Decision.RAISE
    if method.upper() in IDEMPOTENT_METHODS:
        return Decision.BACKOFF
    if may_have_been_applied(error):
        return Decision.AMBIGUOUS
    return Decision.BACKOFF


def resend_wait(policy: RetryPolicy, resends: int, rng: random.Random) -> float:
    """Return the seconds to wait before re-sending a create for the ``resends``-th time (from 1).

    The ceiling doubles from ``base`` up to ``cap`` like the transport's backoff, but the wait
    is at least half of it ("equal jitter"): a create is re-sent only after the API failed on
    it, and sending it again at once is what overloads a struggling API.
    """
    ceiling = min(policy.cap, policy.base * 2 ** (resends - 1))
    return rng.uniform(ceiling / 2, ceiling)
