"""The tolerant reader: how the production converter reads a response that drifted from the spec.

The API removes deprecated fields, adds enum values and third-party emulators leave fields out;
none of that should turn an answer into an exception (hcloud-python reads every field with
``.get()``, hcloud-go decodes into zero values). This is the slow path: the converter first
structures strictly, and only when that fails walks the payload field by field here.

- A field the API did not send reads as ``None`` (``[]`` or ``{}`` for lists and maps); a field
  it sent with a value of another JSON type reads the same way. One WARNING per field path and
  process names it (``Server.server_type.locations``).
- What identifies a resource is never guessed: a resource read at the top (or in a result that
  wraps it, like ``CreateServerResult.server``) needs its ``id``, a result the resources it
  wraps, and an action, wherever it is, its ``id``, ``status`` and ``command``. Without them
  the read fails with ``Unidentified``. A nested object's own ``id`` (``server_type.id``) is
  not identity: it reads as ``None`` like any other field.
- List items and map entries that cannot be read are left out, with the same warning.
"""

from __future__ import annotations

import enum
import functools
import logging
import types
import typing
from typing import Any, Union, get_args, get_origin

import attrs
import cattrs

from .models import Action

__all__ = ["TolerantReader", "Unidentified", "empty_value", "json_type", "warn_once"]

logger = logging.getLogger("hetzner_async")

#: Fields whose absence makes an object unusable, for models that need more than ``id``.
#: An action is waited on: without its status and command the SDK cannot tell what it does.
IDENTITY: dict[type, tuple[str, ...]] = {Action: ("id", "status", "command")}

#: Field paths already warned about in this process.
_warned: set[str] = set()


def warn_once(key: str, message: str, *args: object) -> None:
    """Log a WARNING the first time ``key`` comes up in this process, and never again."""
    if key in _warned:
        return
    _warned.add(key)
    logger.warning(message, *args)


def json_type(value: object) -> str:
    """Name the JSON type of a decoded value, for messages that must not quote the value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def empty_value(tp: Any) -> Any:
    """Return what a field of type ``tp`` reads as when the API did not send a usable value."""
    origin = get_origin(tp)
    if origin is list:
        return []
    if origin is dict:
        return {}
    return None


class Unidentified(ValueError):
    """A response lacks what identifies the resource it describes: nothing can be built from it."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class _Unreadable(Exception):
    """One value cannot be read as its type; its field falls back to empty."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@attrs.frozen
class _Field:
    name: str
    type: Any
    #: Whether the model has a default for it (the API documents it as optional).
    optional: bool


@functools.cache
def _fields(cls: type) -> tuple[_Field, ...]:
    hints = typing.get_type_hints(cls)
    return tuple(
        _Field(field.name, hints[field.name], field.default is not attrs.NOTHING)
        for field in attrs.fields(cls)
    )


def _identity(cls: type) -> tuple[str, ...]:
    if cls in IDENTITY:
        return IDENTITY[cls]
    return ("id",) if any(field.name == "id" for field in _fields(cls)) else ()


def _optional_inner(tp: Any) -> Any | None:
    args = get_args(tp)
    if get_origin(tp) in (Union, types.UnionType) and len(args) == 2 and type(None) in args:
        return args[0] if args[1] is type(None) else args[1]
    return None


def _is_resource(tp: Any) -> bool:
    """Tell whether ``tp`` (or ``tp | None``) is a model with an identity: a resource, an action."""
    model = _optional_inner(tp) or tp
    return attrs.has(model) and bool(_identity(model))


def _type_name(tp: Any) -> str:
    origin = get_origin(tp)
    if origin is None:
        return getattr(tp, "__name__", repr(tp))
    return f"{_type_name(origin)}[{', '.join(_type_name(arg) for arg in get_args(tp))}]"


class TolerantReader:
    """Walk a payload field by field, reading what it can and warning about the rest."""

    def __init__(self, fast: cattrs.Converter) -> None:
        # The strict-typed converter: each subtree is tried with it first, so only the parts
        # that drifted are walked by hand.
        self._fast = fast

    def read_model(self, value: object, cls: type) -> Any:
        """Read a model at the top of a response; raise ``Unidentified`` if that is impossible."""
        return self._model(value, cls, cls.__name__, anchored=True)

    def _value(self, value: object, tp: Any, path: str, anchored: bool) -> Any:
        try:
            return self._fast.structure(value, tp)
        except Exception:  # any failure of the fast path: read by hand below
            pass
        inner = _optional_inner(tp)
        if inner is not None:
            return None if value is None else self._value(value, inner, path, anchored)
        if attrs.has(tp):
            return self._model(value, tp, path, anchored)
        origin = get_origin(tp)
        if origin is list:
            return self._list(value, get_args(tp)[0], path, anchored)
        if origin is dict:
            return self._dict(value, get_args(tp)[1], path)
        expected = tp.__name__ if isinstance(tp, type) else _type_name(tp)
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            expected = f"a {tp.__name__} value"
        raise _Unreadable(f"{json_type(value)} where {expected} was expected")

    def _model(self, value: object, cls: type, path: str, anchored: bool) -> Any:
        required = _identity(cls) if anchored or cls in IDENTITY else ()
        if not isinstance(value, dict):
            if required or anchored:
                raise Unidentified(path, f"{json_type(value)} where an object was expected")
            raise _Unreadable(f"{json_type(value)} where an object was expected")
        fields = _fields(cls)
        # A result that wraps resources (no id of its own) is nothing without them, and passes
        # its anchor on to them: CreateServerResult needs its server and action.
        wrapper = anchored and not any(field.name == "id" for field in fields)
        if wrapper:
            required = required + tuple(
                field.name for field in fields if not field.optional and _is_resource(field.type)
            )
        kwargs: dict[str, Any] = {}
        for field in fields:
            sub = f"{path}.{field.name}"
            if field.name not in value:
                if field.optional:
                    continue  # documented as optional: its default is the honest reading
                if field.name in required:
                    raise Unidentified(sub, "the API did not send it")
                kwargs[field.name] = empty_value(field.type)
                warn_once(sub, "the API did not send %s; it reads as %r", sub, kwargs[field.name])
                continue
            try:
                anchor = field.name in required and _is_resource(field.type)
                kwargs[field.name] = self._value(value[field.name], field.type, sub, anchor)
            except _Unreadable as unreadable:
                if field.name in required:
                    raise Unidentified(sub, unreadable.reason) from None
                if field.optional:
                    # Its default, as when it is left out; but the API did send it, so say so.
                    reason = unreadable.reason
                    warn_once(sub, "the API sent %s as %s; it reads as its default", sub, reason)
                    continue
                kwargs[field.name] = empty_value(field.type)
                warn_once(
                    sub,
                    "the API sent %s as %s; it reads as %r",
                    sub,
                    unreadable.reason,
                    kwargs[field.name],
                )
        return cls(**kwargs)

    def _list(self, value: object, item: Any, path: str, anchored: bool) -> list[Any]:
        if not isinstance(value, list):
            raise _Unreadable(f"{json_type(value)} where an array was expected")
        sub = f"{path}[]"
        items = []
        for element in value:
            try:
                items.append(self._value(element, item, sub, anchored))
            except _Unreadable as unreadable:
                warn_once(sub, "the API sent an item of %s as %s; it is left out", sub, unreadable)
        return items

    def _dict(self, value: object, item: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise _Unreadable(f"{json_type(value)} where an object was expected")
        sub = f"{path}{{}}"
        entries = {}
        for key, element in value.items():
            try:
                entries[key] = self._value(element, item, sub, anchored=False)
            except _Unreadable as unreadable:
                warn_once(sub, "the API sent an entry of %s as %s; it is left out", sub, unreadable)
        return entries
