"""Assertions the validation tables share: a call refused with a ValidationError that says why."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

from hetzner_async.errors import ValidationError


def refused(call: Callable[[], object]) -> ValidationError:
    """Return the ValidationError that ``call`` raises (and fail if it raises none)."""
    with pytest.raises(ValidationError) as raised:
        call()
    return raised.value


def refused_naming(
    call: Callable[[], object], field: str, fragments: Sequence[str]
) -> ValidationError:
    """Return the ValidationError ``call`` raises, checked to name ``field`` and each fragment."""
    error = refused(call)
    assert error.field == field
    for fragment in fragments:
        assert fragment in error.message
    return error
