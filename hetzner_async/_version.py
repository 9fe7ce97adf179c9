"""The package version, read by the build and sent in the User-Agent."""

#: The version of this package (PEP 440), as released.
__version__ = "0.2.0"
