"""The cattrs converters between JSON-shaped data and the models, and nothing else.

Two converters share one policy for every attrs model:

* ``converter`` (the tolerant reader, used in production) ignores keys it does not know, keeps
  enum values it does not know (``OpenStrEnum``), and reads a field the API did not send, or
  sent with another JSON type, as ``None`` with one WARNING per field path (``_tolerant``). Only
  a resource's identity is required. The API adds fields and values without a version bump and
  removes deprecated ones; an emulator may send less than the spec.
* ``strict_converter`` (used by the tests against the spec) rejects all of that, so drift fails CI.

Both check JSON types instead of coercing them (cattrs' default would turn ``"false"`` into
``True``), require an offset on every timestamp, and, when unstructuring, leave out attributes
that are ``None`` and default to ``None``, because the API tells an absent key from ``null``.
Attributes without a default keep their ``null``, so a response unstructures to its own shape.

The production converter is on every request's hot path: it first structures strictly (without
cattrs' detailed validation, which costs time) and walks the payload by hand only if that fails.
"""

import datetime as dt
import enum
import types
from collections.abc import Callable
from typing import Any, TypeVar, Union, get_args, get_origin

import attrs
import cattrs
from cattrs.cols import list_structure_factory
from cattrs.errors import ForbiddenExtraKeysError
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from cattrs.preconf.json import make_converter as make_json_converter
from cattrs.v import format_exception, transform_error

from ._tolerant import TolerantReader, Unidentified, warn_once
from .errors import UnexpectedResponseError
from .models.common import unlisted

__all__ = ["converter", "make_converter", "strict_converter", "structure", "unstructure"]

T = TypeVar("T")

#: How many failing fields an error message names before it says "and N more".
_MAX_REPORTED = 5


def _structure_datetime(value: object, _: object) -> dt.datetime:
    if not isinstance(value, str):
        raise TypeError(f"expected an RFC 3339 string, got {type(value).__name__}")
    parsed = dt.datetime.fromisoformat(value)
    # RFC 3339 requires an offset; a naive datetime would silently mean local time.
    if parsed.tzinfo is None:
        raise ValueError("timestamp has no UTC offset")
    return parsed


def _unstructure_datetime(value: dt.datetime) -> str:
    text = value.isoformat()
    # The API writes UTC as "Z"; keep that form so a parsed response unstructures to itself.
    return f"{text[:-6]}Z" if text.endswith("+00:00") else text


def _structure_int(value: object, _: object) -> int:
    # bool is an int subclass, and JSON true is not a number.
    if type(value) is not int:
        raise TypeError(f"expected an integer, got {type(value).__name__}")
    return value


def _structure_float(value: object, _: object) -> float:
    # JSON does not tell 2 from 2.0, so integers are numbers too.
    if type(value) not in (int, float):
        raise TypeError(f"expected a number, got {type(value).__name__}")
    return float(value)  # type: ignore[arg-type]


def _structure_str(value: object, _: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {type(value).__name__}")
    return value


def _structure_bool(value: object, _: object) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected a boolean, got {type(value).__name__}")
    return value


def _enum_hook(*, strict: bool) -> Callable[[object, type[enum.Enum]], enum.Enum]:
    def structure_enum(value: object, cls: type[enum.Enum]) -> enum.Enum:
        # bool is an int subclass, and JSON true is not an enum value.
        usable = isinstance(value, str | int) and not isinstance(value, bool)
        member = cls._value2member_map_.get(value) if usable else None
        if member is not None:
            return member
        if issubclass(cls, str) and not isinstance(value, str):
            raise TypeError(f"expected a string, got {type(value).__name__}")
        if strict or not (issubclass(cls, enum.StrEnum) and isinstance(value, str)):
            raise ValueError(f"{value!r} is not a valid {cls.__name__}")
        # Keep a value the API added since this SDK was released, as a value of the enum (the
        # same stand-in that an OpenStrEnum returns for it).
        kept = unlisted(cls, value)
        warn_once(
            f"{cls.__name__}={value}",
            "the API sent %s %r, which this SDK does not know; it is kept as is",
            cls.__name__,
            value,
        )
        return kept

    return structure_enum


def _is_optional(cls: Any) -> bool:
    args = get_args(cls)
    return get_origin(cls) in (Union, types.UnionType) and len(args) == 2 and type(None) in args


def _is_list(cls: Any) -> bool:
    origin: object = get_origin(cls)
    return origin is list


def make_converter(*, strict: bool) -> cattrs.Converter:
    """Build a converter: ``strict`` rejects any drift from the spec, else the tolerant reader."""
    if strict:
        return _make_base(strict=True)
    fast = _make_base(strict=False, detailed=False)
    conv = _make_base(strict=False, detailed=False)
    reader = TolerantReader(fast)

    def structure_model(cls: type[Any]) -> Callable[[Any, Any], Any]:
        # Nested models inside ``quick`` are the fast converter's: one failure anywhere falls
        # back to a walk from the top, so that every warning names the full path.
        quick = fast.get_structure_hook(cls)

        def structure_tolerantly(value: object, _: object) -> Any:
            try:
                return quick(value, cls)
            except Exception:  # any failure: the slow path re-reads and reports
                return reader.read_model(value, cls)

        return structure_tolerantly

    conv.register_structure_hook_factory(attrs.has, structure_model)
    return conv


def _make_base(*, strict: bool, detailed: bool = True) -> cattrs.Converter:
    """Build a converter that structures strictly typed; ``strict`` also rejects unknown keys."""
    conv = make_json_converter(detailed_validation=detailed)

    conv.register_structure_hook(dt.datetime, _structure_datetime)
    conv.register_unstructure_hook(dt.datetime, _unstructure_datetime)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(float, _structure_float)
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(bool, _structure_bool)
    # Hooks registered by class also match subclasses, and a StrEnum is a str: without these
    # two, enum attributes would come back as plain strings and ints instead of members.
    conv.register_structure_hook(enum.StrEnum, _enum_hook(strict=strict))
    conv.register_structure_hook(enum.IntEnum, _enum_hook(strict=strict))

    def structure_model(cls: type[Any]) -> Callable[[Any, Any], Any]:
        generated = make_dict_structure_fn(cls, conv, _cattrs_forbid_extra_keys=strict)
        if any(field.default is attrs.NOTHING for field in attrs.fields(cls)):
            return generated  # reading a required key fails on anything but an object

        # Every key optional: the generated code would read a string (or a list) as an object
        # with nothing set, since it only asks ``key in value``.
        def structure_object(value: object, cls: Any) -> Any:
            if not isinstance(value, dict):
                raise TypeError(f"expected an object, got {type(value).__name__}")
            return generated(value, cls)

        return structure_object

    def unstructure_model(cls: type[Any]) -> Callable[[Any], dict[str, Any]]:
        omit_when_none: dict[str, Any] = {
            field.name: override(omit_if_default=True)
            for field in attrs.fields(cls)
            if field.default is None
        }
        return make_dict_unstructure_fn(cls, conv, **omit_when_none)

    def structure_list(cls: Any) -> Callable[[Any, Any], Any]:
        items = list_structure_factory(cls, conv)

        # cattrs builds a list from any iterable: a string would become its characters and an
        # object its keys.
        def structure_json_array(value: object, cls: Any) -> Any:
            if not isinstance(value, list):
                raise TypeError(f"expected an array, got {type(value).__name__}")
            return items(value, cls)

        return structure_json_array

    def structure_optional(cls: Any) -> Callable[[Any, Any], Any]:
        # cattrs' own Optional hook looks the inner hook up on every call; a response has dozens
        # of nullable fields, so find it once.
        (inner,) = (arg for arg in get_args(cls) if arg is not type(None))
        hook = conv.get_structure_hook(inner)

        def structure_nullable(value: object, _: Any) -> Any:
            return None if value is None else hook(value, inner)

        return structure_nullable

    conv.register_structure_hook_factory(_is_optional, structure_optional)
    conv.register_structure_hook_factory(_is_list, structure_list)
    conv.register_structure_hook_factory(attrs.has, structure_model)
    conv.register_unstructure_hook_factory(attrs.has, unstructure_model)
    return conv


#: The production converter: tolerant of what the API adds, removes and changes over time.
converter = make_converter(strict=False)

#: The converter for tests against the spec: every unknown key or value is a failure.
strict_converter = make_converter(strict=True)


def _type_name(cls: object) -> str:
    origin = get_origin(cls)
    if origin is None:
        return getattr(cls, "__name__", repr(cls))
    return f"{_type_name(origin)}[{', '.join(_type_name(arg) for arg in get_args(cls))}]"


def _describe(exc: BaseException, type_: type | None) -> str:
    # cattrs' fallbacks quote the exception text, which may quote the offending value (a secret,
    # say), so anything but the well-understood cases is reported by exception class only.
    if isinstance(exc, KeyError | ForbiddenExtraKeysError) or (
        isinstance(exc, ValueError | TypeError) and type_ is not None
    ):
        return format_exception(exc, type_)
    return f"invalid value ({type(exc).__name__})"


def structure(conv: cattrs.Converter, data: object, cls: type[T]) -> T:
    """Read JSON-shaped ``data`` as ``cls``; raise ``UnexpectedResponseError`` if it does not fit.

    The message names the model and the path of every failing field, never the values.
    """
    try:
        return conv.structure(data, cls)
    except Unidentified as exc:
        raise UnexpectedResponseError(
            status=200,
            code="unexpected_response",
            message=f"response does not match {_type_name(cls)}: {exc}",
        ) from exc
    except (cattrs.BaseValidationError, ValueError, TypeError, KeyError, AttributeError) as exc:
        problems = transform_error(exc, path="$", format_exception=_describe)
        shown = "; ".join(problems[:_MAX_REPORTED])
        more = len(problems) - _MAX_REPORTED
        if more > 0:
            shown += f"; and {more} more"
        raise UnexpectedResponseError(
            status=200,
            code="unexpected_response",
            message=f"response does not match {_type_name(cls)}: {shown}",
        ) from exc


def unstructure(conv: cattrs.Converter, obj: object) -> Any:
    """Turn a model (or a list or dict of models) into JSON-shaped data for a request body."""
    return conv.unstructure(obj)
