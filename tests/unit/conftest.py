"""Fixtures of the converter tests: converters built in the test, warnings as if at start-up."""

from __future__ import annotations

from collections.abc import Iterator

import cattrs
import pytest

from hetzner_async import _tolerant
from hetzner_async._convert import make_converter


@pytest.fixture
def tolerant() -> cattrs.Converter:
    """The production converter, as ``make_converter`` builds it now."""
    return make_converter(strict=False)


@pytest.fixture
def strict() -> cattrs.Converter:
    """The converter of the tests against the spec, as ``make_converter`` builds it now."""
    return make_converter(strict=True)


@pytest.fixture
def fresh_warnings() -> Iterator[None]:
    """Each test sees the once-per-process warnings as if the process had just started."""
    saved = set(_tolerant._warned)
    _tolerant._warned.clear()
    yield
    _tolerant._warned.clear()
    _tolerant._warned.update(saved)
