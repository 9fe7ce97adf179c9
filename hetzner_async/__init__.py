"""An asyncio SDK for the Hetzner Cloud API that gets rate limits, retries and concurrency right."""

from ._client import DEFAULT_ENDPOINT, HetznerClient
from ._footprint import FootprintReport
from ._governor import rate_limit_deadline
from ._poller import PollPolicy
from ._retry import RetryPolicy
from ._version import __version__
from ._wire import RateLimit
from .hooks import RequestEvent

__all__ = [
    "DEFAULT_ENDPOINT",
    "FootprintReport",
    "HetznerClient",
    "PollPolicy",
    "RateLimit",
    "RequestEvent",
    "RetryPolicy",
    "__version__",
    "rate_limit_deadline",
]
