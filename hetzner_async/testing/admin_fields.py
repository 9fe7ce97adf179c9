"""Check the JSON bodies of the ``/_fake`` admin endpoints, naming the field that is wrong."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["ACTION_FAILURE_FIELDS", "FAULT_FIELDS", "Field", "InvalidField", "check_fields"]


class InvalidField(ValueError):
    """A body field is missing, unknown, of the wrong type or out of range."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"invalid field {field!r}: {problem}")
        self.field = field
        self.problem = problem


@dataclass(frozen=True)
class Field:
    """What one body field may hold."""

    #: The JSON types it takes (``bool`` is never an ``int`` here).
    types: tuple[type, ...]
    #: What the types are called in messages ("an integer").
    described: str
    required: bool = False
    nullable: bool = False
    #: A further check of the value; ``problem`` says what it wants.
    check: Callable[[Any], bool] | None = None
    problem: str = ""


def _typed(value: Any, types: tuple[type, ...]) -> bool:
    if isinstance(value, bool):
        return bool in types
    return isinstance(value, types)


def check_fields(data: Mapping[str, Any], fields: Mapping[str, Field]) -> dict[str, Any]:
    """Return the body's fields if each is known, present when required, and valid."""
    for name in data:
        if name not in fields:
            raise InvalidField(name, f"unknown field; known: {', '.join(sorted(fields))}")
    for name, spec in fields.items():
        if name not in data:
            if spec.required:
                raise InvalidField(name, "is required")
            continue
        value = data[name]
        if value is None:
            if spec.nullable:
                continue
            raise InvalidField(name, f"must be {spec.described}, not null")
        if not _typed(value, spec.types):
            raise InvalidField(name, f"must be {spec.described}, not {value!r}")
        if spec.check is not None and not spec.check(value):
            raise InvalidField(name, f"must be {spec.problem}, not {value!r}")
    return dict(data)


_TEXT = Field((str,), "a string")
_OPTIONAL_TEXT = Field((str,), "a string", nullable=True)
_NUMBER = (int, float)

# The values of ``FaultKind`` (faults.py imports this module, so they are spelled out).
_FAULT_KINDS = (
    "error",
    "latency",
    "drop_before",
    "drop_after",
    "hang",
    "slow",
    "truncate",
    "malformed",
)

#: The body of ``POST /_fake/faults`` (the fields of ``Fault``).
FAULT_FIELDS: dict[str, Field] = {
    "kind": Field(
        (str,),
        "a string",
        required=True,
        check=_FAULT_KINDS.__contains__,
        problem=f"one of {', '.join(_FAULT_KINDS)}",
    ),
    "method": _OPTIONAL_TEXT,
    "path": _OPTIONAL_TEXT,
    "status": Field((int,), "an integer", check=lambda v: 100 <= v <= 599, problem="100 to 599"),
    "code": _TEXT,
    "message": _TEXT,
    "envelope": Field((bool,), "true or false"),
    "delay": Field(_NUMBER, "a number", check=lambda v: v >= 0, problem="0 or more"),
    "delay_max": Field(
        _NUMBER, "a number", nullable=True, check=lambda v: v >= 0, problem="0 or more"
    ),
    "times": Field(
        (int,), "an integer", nullable=True, check=lambda v: v >= 1, problem="1 or more"
    ),
    "probability": Field(
        _NUMBER, "a number", check=lambda v: 0 <= v <= 1, problem="between 0 and 1"
    ),
}

#: The body of ``POST /_fake/action_failures`` (the arguments of ``fail_next_action``).
ACTION_FAILURE_FIELDS: dict[str, Field] = {
    "command": _OPTIONAL_TEXT,
    "code": _TEXT,
    "message": _TEXT,
    "resource_id": Field((int,), "an integer", nullable=True),
    "times": Field((int,), "an integer", check=lambda v: v >= 1, problem="1 or more"),
}
