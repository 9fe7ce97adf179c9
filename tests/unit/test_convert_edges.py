"""The converter policy, checked on converters built inside each test.

``converter`` and ``strict_converter`` are built once, when ``_convert`` is imported, and cattrs
caches every hook it builds; a test that uses them checks what was built before it ran. Here
``make_converter`` runs in the test, so each test checks the policy the code builds now: JSON types
checked and never coerced, offsets required, unknown values kept or rejected, ``None`` omitted.

This module reads: types checked, values the models do not know, the fast path;
``test_convert_edges_output`` writes and reports.
"""

from __future__ import annotations

import logging
import traceback
from datetime import UTC, datetime
from typing import Any

import attrs
import cattrs
import pytest

from hetzner_async import _tolerant
from hetzner_async._convert import make_converter, structure
from hetzner_async.errors import UnexpectedResponseError
from hetzner_async.models import Action, ActionStatus, Server, ServerStatus, SSHKey

from .payloads import ACTION, SERVER, SSH_KEY, warnings_in
from .probe import PROBE, READ, Colour, Level, Part, Probe

pytestmark = pytest.mark.usefixtures("fresh_warnings")


@pytest.mark.parametrize("strictness", [False, True], ids=["tolerant", "strict"])
def test_a_payload_of_the_right_types_is_read_as_is(strictness: bool) -> None:
    conv = make_converter(strict=strictness)
    read = structure(conv, PROBE, Probe)
    assert read == READ
    assert read.colour is Colour.RED
    assert read.shade is Colour.RED
    assert read.level is Level.LOW
    assert type(read.ratio) is float


@pytest.mark.parametrize("strictness", [False, True], ids=["tolerant", "strict"])
def test_what_json_allows_is_accepted(strictness: bool) -> None:
    conv = make_converter(strict=strictness)
    payload = {**PROBE, "ratio": 2, "note": None, "part": {}, "at": "2016-01-30T23:55:00+02:00"}
    read = structure(conv, payload, Probe)
    assert read.ratio == 2.0
    assert type(read.ratio) is float  # JSON does not tell 2 from 2.0
    assert read.note is None
    assert read.part == Part()
    assert read.at.utcoffset() is not None
    assert structure(conv, {k: v for k, v in PROBE.items() if k != "note"}, Probe).note is None


@pytest.mark.parametrize("strictness", [False, True], ids=["tolerant", "strict"])
def test_real_models_read_to_members_and_aware_timestamps(strictness: bool) -> None:
    conv = make_converter(strict=strictness)
    key = structure(conv, SSH_KEY, SSHKey)
    assert key == SSHKey(
        id=2323,
        name="My ssh key",
        fingerprint=SSH_KEY["fingerprint"],
        public_key=SSH_KEY["public_key"],
        labels={"key": "value"},
        created=datetime(2016, 1, 30, 23, 50, tzinfo=UTC),
    )
    assert structure(conv, SERVER, Server).status is ServerStatus.RUNNING
    action = structure(conv, {**ACTION, "finished": None, "error": None}, Action)
    assert action.status is ActionStatus.SUCCESS
    assert (action.finished, action.error) == (None, None)


# (field, value that must not pass, what the tolerant reader makes of it)
WRONG_TYPES = [
    pytest.param("count", "2", None, id="string for integer"),
    pytest.param("count", True, None, id="boolean for integer"),
    pytest.param("count", 2.0, None, id="float for integer"),
    pytest.param("name", 7, None, id="integer for string"),
    pytest.param("ratio", "2", None, id="string for number"),
    pytest.param("ratio", True, None, id="boolean for number"),
    pytest.param("on", "false", None, id="string for boolean"),
    pytest.param("on", 0, None, id="integer for boolean"),
    pytest.param("at", "2016-01-30T23:55:00", None, id="timestamp without offset"),
    pytest.param("at", 1454198100, None, id="unix time"),
    pytest.param("tags", "ab", [], id="string for array"),
    pytest.param("tags", {"a": "b"}, [], id="object for array"),
    pytest.param("labels", "k=v", {}, id="string for map"),
    pytest.param("labels", {"k": 1}, {}, id="integer map value"),
    pytest.param("colour", 3, None, id="integer for string enum"),
    pytest.param("level", True, None, id="boolean for integer enum"),
    pytest.param("level", 1.0, None, id="float for integer enum"),
    pytest.param("level", "1", None, id="string for integer enum"),
    pytest.param("level", 7, None, id="unknown integer enum value"),
    pytest.param("part", "p", None, id="string for all-optional object"),
    pytest.param("part", ["p"], None, id="array for all-optional object"),
    pytest.param("note", 5, None, id="integer for nullable string"),
    pytest.param("shade", 5, None, id="integer for nullable enum"),
]


@pytest.mark.parametrize(("field", "value", "empty"), WRONG_TYPES)
def test_a_value_of_another_json_type_is_rejected_when_strict(
    strict: cattrs.Converter, field: str, value: object, empty: object
) -> None:
    with pytest.raises(UnexpectedResponseError) as raised:
        structure(strict, {**PROBE, field: value}, Probe)
    assert f" @ $.{field}" in raised.value.message


@pytest.mark.parametrize(("field", "value", "empty"), WRONG_TYPES)
def test_a_value_of_another_json_type_reads_as_empty_when_tolerant(
    tolerant: cattrs.Converter,
    field: str,
    value: object,
    empty: object,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="hetzner_async"):
        read = structure(tolerant, {**PROBE, field: value}, Probe)
    assert read == attrs.evolve(READ, **{field: empty})
    (warning,) = warnings_in(caplog)
    assert f" Probe.{field}" in warning


def _traceback(error: BaseException) -> list[str]:
    """Return the lines a log prints for ``error``: its causes, exception groups unwrapped."""
    lines = "".join(traceback.format_exception(error)).splitlines()
    return [line.lstrip(" |") for line in lines]


# What the traceback of a strict failure says: the JSON type that came, never the value.
CAUSES = [
    pytest.param("count", "2", "TypeError: expected an integer, got str", id="integer"),
    pytest.param("ratio", "2", "TypeError: expected a number, got str", id="number"),
    pytest.param("name", 7, "TypeError: expected a string, got int", id="string"),
    pytest.param("on", "no", "TypeError: expected a boolean, got str", id="boolean"),
    pytest.param("at", 7, "TypeError: expected an RFC 3339 string, got int", id="timestamp"),
    pytest.param(
        "at", "2016-01-30T23:55:00", "ValueError: timestamp has no UTC offset", id="no offset"
    ),
    pytest.param("tags", "ab", "TypeError: expected an array, got str", id="array"),
    pytest.param("part", "p", "TypeError: expected an object, got str", id="object"),
    pytest.param("colour", 3, "TypeError: expected a string, got int", id="string enum"),
]


@pytest.mark.parametrize(("field", "value", "cause"), CAUSES)
def test_the_traceback_names_the_json_type_that_came(
    strict: cattrs.Converter, field: str, value: object, cause: str
) -> None:
    with pytest.raises(UnexpectedResponseError) as raised:
        structure(strict, {**PROBE, field: value}, Probe)
    assert cause in _traceback(raised.value)


def test_the_traceback_of_an_unknown_enum_value_names_it(strict: cattrs.Converter) -> None:
    # Drift the spec test must report: which value the API added.
    with pytest.raises(UnexpectedResponseError, match=r" @ \$\.colour") as raised:
        structure(strict, {**PROBE, "colour": "blue"}, Probe)
    assert "ValueError: 'blue' is not a valid Colour" in _traceback(raised.value)


def test_unknown_keys_are_rejected_when_strict_and_ignored_when_tolerant(
    strict: cattrs.Converter, tolerant: cattrs.Converter
) -> None:
    payload = {**PROBE, "shiny": 1, "part": {"name": "p", "glossy": True}}
    with pytest.raises(UnexpectedResponseError) as raised:
        structure(strict, payload, Probe)
    assert "extra fields found (shiny) @ $" in raised.value.message
    assert "extra fields found (glossy) @ $.part" in raised.value.message
    assert structure(tolerant, payload, Probe) == READ


def test_a_value_the_api_added_is_kept_when_tolerant(
    tolerant: cattrs.Converter, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="hetzner_async"):
        for _ in range(3):
            read = structure(tolerant, {**PROBE, "colour": "blue"}, Probe)
            server = structure(tolerant, {**SERVER, "status": "hibernating"}, Server)
        other = structure(tolerant, {**PROBE, "colour": "green"}, Probe)
    assert isinstance(read.colour, Colour)
    assert read.colour == "blue"
    assert read.colour is not Colour.RED
    assert isinstance(server.status, ServerStatus)
    assert server.status == "hibernating"
    assert not server.status.known
    assert other.colour == "green"
    # Once per enum and value, naming both; the rest of the payload is read as usual.
    assert read == attrs.evolve(READ, colour=read.colour)
    assert sorted(warnings_in(caplog)) == [
        "the API sent Colour 'blue', which this SDK does not know; it is kept as is",
        "the API sent Colour 'green', which this SDK does not know; it is kept as is",
        "the API sent ServerStatus 'hibernating', which this SDK does not know; it is kept as is",
    ]


def test_an_unknown_value_is_kept_at_the_top_of_a_payload_too(tolerant: cattrs.Converter) -> None:
    status = structure(tolerant, "hibernating", ServerStatus)
    assert isinstance(status, ServerStatus)
    assert status == "hibernating"
    assert structure(tolerant, "running", ServerStatus) is ServerStatus.RUNNING


@pytest.mark.parametrize(
    ("payload", "cls"),
    [
        ({**SERVER, "status": "hibernating"}, Server),
        ("hibernating", ServerStatus),
        ({**PROBE, "colour": "blue"}, Probe),
    ],
    ids=["open enum in a model", "open enum alone", "closed enum in a model"],
)
def test_an_unknown_value_is_rejected_when_strict(
    strict: cattrs.Converter, payload: object, cls: Any
) -> None:
    with pytest.raises(UnexpectedResponseError):
        structure(strict, payload, cls)


def test_a_payload_that_fits_never_takes_the_slow_path(
    tolerant: cattrs.Converter, monkeypatch: pytest.MonkeyPatch
) -> None:
    def slow(*args: object) -> None:
        raise AssertionError("the tolerant walk ran for a payload that fits the model")

    monkeypatch.setattr(_tolerant.TolerantReader, "read_model", slow)
    assert structure(tolerant, SERVER, Server).id == SERVER["id"]
    # Keys the model does not know are not a misfit either.
    assert structure(tolerant, {**PROBE, "shiny": 1}, Probe) == READ


@pytest.mark.parametrize("strictness", [False, True], ids=["tolerant", "strict"])
def test_a_warm_converter_looks_no_hook_up_again(
    strictness: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every response passes through here, and a model has dozens of nullable fields: once a
    # model's hooks are built, reading it again finds each hook bound, not by a look-up (cattrs'
    # own Optional hook looks its inner hook up on every value).
    conv = make_converter(strict=strictness)
    structure(conv, PROBE, Probe)
    looked_up: list[object] = []
    dispatch = conv._structure_func.dispatch

    def counted(tp: object) -> Any:
        looked_up.append(tp)
        return dispatch(tp)

    monkeypatch.setattr(conv._structure_func, "dispatch", counted)
    assert structure(conv, PROBE, Probe) == READ
    assert looked_up == [Probe]  # the one look-up of the model itself
