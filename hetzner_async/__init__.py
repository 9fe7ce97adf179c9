"""An asyncio SDK for the Hetzner Cloud API."""

from ._version import __version__

__all__ = ["__version__"]
