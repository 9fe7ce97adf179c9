"""``Probe``: a model with one field of each JSON type the converters check, and its payload."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

import attrs

__all__ = ["PROBE", "READ", "Colour", "Level", "Part", "Probe"]


class Colour(enum.StrEnum):
    """A closed string enum, like the ones a caller passes in."""

    RED = "red"


class Level(enum.IntEnum):
    """An integer enum: no model has one yet, the converters handle them all the same."""

    LOW = 1


@attrs.frozen
class Part:
    """Every key optional, like ``ServerFirewall``: nothing says it must be an object but this."""

    name: str | None = None


@attrs.frozen
class Probe:
    """One field of each JSON type the converters check."""

    id: int
    count: int
    name: str
    ratio: float
    on: bool
    at: datetime
    tags: list[str]
    labels: dict[str, str]
    colour: Colour
    level: Level
    part: Part
    note: str | None = None
    shade: Colour | None = None


PROBE: dict[str, Any] = {
    "id": 1,
    "count": 2,
    "name": "probe",
    "ratio": 0.5,
    "on": True,
    "at": "2016-01-30T23:55:00Z",
    "tags": ["a"],
    "labels": {"k": "v"},
    "colour": "red",
    "level": 1,
    "part": {"name": "p"},
    "note": "n",
    "shade": "red",
}
READ = Probe(
    id=1,
    count=2,
    name="probe",
    ratio=0.5,
    on=True,
    at=datetime(2016, 1, 30, 23, 55, tzinfo=UTC),
    tags=["a"],
    labels={"k": "v"},
    colour=Colour.RED,
    level=Level.LOW,
    part=Part(name="p"),
    note="n",
    shade=Colour.RED,
)
