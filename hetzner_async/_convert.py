"""The cattrs converters between JSON-shaped data and the models, and nothing else.

Two converters share one policy for every attrs model:

* ``converter`` (lenient, used in production) ignores keys it does not know and reads a server
  status it does not know as ``ServerStatus.UNKNOWN``: the API adds fields and values without
  a version bump.
* ``strict_converter`` (used by the tests against the spec) rejects both, so drift fails CI.

Both check JSON types instead of coercing them (cattrs' default would turn ``"false"`` into
``True``), require an offset on every timestamp, and, when unstructuring, leave out attributes
that are ``None`` and default to ``None``, because the API tells an absent key from ``null``.
Attributes without a default keep their ``null``, so a response unstructures to its own shape.
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

from .errors import UnexpectedResponseError
from .models.server import ServerStatus

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


def _structure_enum(value: object, cls: type[enum.Enum]) -> enum.Enum:
    return cls(value)


def _server_status_hook(*, strict: bool) -> Callable[[object, object], ServerStatus]:
    def structure_server_status(value: object, _: object) -> ServerStatus:
        if not isinstance(value, str):
            raise TypeError(f"expected a string, got {type(value).__name__}")
        try:
            return ServerStatus(value)
        except ValueError:
            if strict:
                raise
            return ServerStatus.UNKNOWN

    return structure_server_status


def _is_optional(cls: Any) -> bool:
    args = get_args(cls)
    return get_origin(cls) in (Union, types.UnionType) and len(args) == 2 and type(None) in args


def _is_list(cls: Any) -> bool:
    origin: object = get_origin(cls)
    return origin is list


def make_converter(*, strict: bool) -> cattrs.Converter:
    """Build a converter; ``strict`` rejects unknown keys and server statuses, else skips them."""
    conv = make_json_converter()

    conv.register_structure_hook(dt.datetime, _structure_datetime)
    conv.register_unstructure_hook(dt.datetime, _unstructure_datetime)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(float, _structure_float)
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(bool, _structure_bool)
    # Hooks registered by class also match subclasses, and a StrEnum is a str: without these
    # two, enum attributes would come back as plain strings and ints instead of members.
    conv.register_structure_hook(enum.StrEnum, _structure_enum)
    conv.register_structure_hook(enum.IntEnum, _structure_enum)
    conv.register_structure_hook(ServerStatus, _server_status_hook(strict=strict))

    def structure_model(cls: type[Any]) -> Callable[[Any, Any], Any]:
        return make_dict_structure_fn(cls, conv, _cattrs_forbid_extra_keys=strict)

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


#: The production converter: tolerant of what the API adds over time.
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
