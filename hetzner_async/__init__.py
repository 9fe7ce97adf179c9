"""An asyncio SDK for the Hetzner Cloud API that gets rate limits, retries and concurrency right."""

import logging

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

# A library leaves logging to the application: without a handler configured there, its
# warnings would reach stderr through logging's last resort. Python's logging HOWTO asks
# libraries for exactly this ("Configuring Logging for a Library").
logging.getLogger(__name__).addHandler(logging.NullHandler())
