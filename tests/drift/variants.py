"""Drifted variants of the spec's example answers, for every operation in ``tests/contract/shapes``.

The example of an operation is the spec's own response example, or, where the spec has none,
one assembled from the per-property ``example`` values of its schema (as the docs renderer
does). Each variant changes one thing, at any depth (in arrays, the first item):

- ``missing``: a key removed;
- ``null``: a deprecated property sent as ``null``;
- ``enum``: an enum value the spec does not list;
- ``type``: a value of another JSON type (a string where a number is documented, ...).

Whether a variant must still be read follows from the models alone (``must_fail``): only a
resource's identity is required.
"""

from __future__ import annotations

import copy
import enum
import functools
import json
import typing
from collections.abc import Iterator
from typing import Any

import attrs

from hetzner_async.models import Action

from .._spec import spec
from ..contract.shapes import OPERATIONS, Shape

__all__ = ["EXAMPLES", "Variant", "example_of", "must_fail", "strict_reads", "variants"]

#: What a value of each JSON type turns into for a ``type`` variant.
_OTHER_TYPE: dict[type, Any] = {
    str: 12345,
    int: "12",
    float: "1.5",
    bool: "true",
    dict: "an object",
    list: {"not": "an array"},
}

#: Fields that identify an action wherever it appears: without them it cannot be waited on.
ACTION_IDENTITY = ("id", "status", "command")


@attrs.frozen
class Variant:
    """One drifted answer: which operation, what changed where, and the body."""

    operation: tuple[str, str]
    kind: str
    #: Keys from the body's root to the changed key; ``[]`` stands for "first item of".
    path: tuple[str, ...]
    body: Any

    @property
    def label(self) -> str:
        """Say what changed, e.g. ``missing server.server_type.locations``."""
        return f"{self.kind} {'.'.join(self.path).replace('.[]', '[]')}"


# --- the examples --------------------------------------------------------------------------


def _success(method: str, path: str) -> dict[str, Any]:
    responses = spec()["paths"][path][method]["responses"]
    (code,) = [code for code in responses if code.startswith("2")]
    content: dict[str, Any] = responses[code]["content"]["application/json"]
    return content


def _resolve(schema: dict[str, Any], value: Any = None) -> dict[str, Any]:
    """Read ``allOf`` as one object schema, and ``oneOf``/``anyOf`` as the alternative that
    fits ``value`` best (the first, when building a value)."""
    if "allOf" in schema:
        parts = [_resolve(part, value) for part in schema["allOf"]]
        own = {key: sub for key, sub in schema.items() if key != "allOf"}
        merged: dict[str, Any] = {**own, "type": "object", "properties": {}, "required": []}
        for part in [*parts, own]:
            merged["properties"].update(part.get("properties", {}))
            merged["required"] += part.get("required", [])
            if "example" in part and "example" not in merged:
                merged["example"] = part["example"]
        return merged
    for key in ("oneOf", "anyOf"):
        if key in schema:
            alternatives = [_resolve(alt, value) for alt in schema[key]]
            if isinstance(value, dict):
                return max(
                    alternatives,
                    key=lambda alt: len(value.keys() & alt.get("properties", {}).keys()),
                )
            return alternatives[0]
    return schema


def _assemble(schema: dict[str, Any]) -> Any:
    """Build a value from a schema's ``example`` values, as the API docs render one."""
    schema = _resolve(schema)
    if "example" in schema:
        return copy.deepcopy(schema["example"])
    kind = schema.get("type")
    if kind == "object" and "properties" in schema:
        return {name: _assemble(sub) for name, sub in schema["properties"].items()}
    if kind == "object":
        return {}
    if kind == "array":
        return [_assemble(schema["items"])]
    if "enum" in schema:
        return schema["enum"][0]
    if schema.get("format") == "date-time":
        return "2016-01-30T23:55:00Z"
    return {"string": "string", "integer": 1, "number": 1.5, "boolean": False}.get(kind)


@functools.cache
def _example(method: str, path: str) -> Any:
    content = _success(method, path)
    examples = content.get("examples") or {}
    if examples:
        return next(iter(examples.values()))["value"]
    return _assemble(content["schema"])


def example_of(operation: tuple[str, str]) -> Any:
    """Return a fresh copy of the example answer of an operation."""
    return copy.deepcopy(_example(*operation))


def _structure_of(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((key, _structure_of(sub)) for key, sub in value.items()))
    if isinstance(value, list):
        return ("[]", _structure_of(value[0]) if value else None)
    return type(value).__name__


def _distinct(operations: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Keep one operation per response shape and example structure: the others add no case.

    (Ten server actions answer the same ``{"action": ...}`` with the same keys.)
    """
    seen: dict[Any, tuple[str, str]] = {}
    for operation in operations:
        key = (repr(OPERATIONS[operation]), _structure_of(_example(*operation)))
        seen.setdefault(key, operation)
    return sorted(seen.values())


#: One operation for each distinct answer the SDK reads; new groups' shapes join automatically.
EXAMPLES = _distinct(sorted(OPERATIONS))


# --- the variants --------------------------------------------------------------------------


def _set(body: str, path: tuple[str, ...], value: Any) -> Any:
    copied = json.loads(body)  # a fresh copy, several times faster than deepcopy
    parent = copied
    for key in path[:-1]:
        parent = parent[0] if key == "[]" else parent[key]
    if value is _REMOVE:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return copied


_REMOVE = object()


def _walk(
    value: Any, schema: dict[str, Any], path: tuple[str, ...]
) -> Iterator[tuple[str, tuple[str, ...], Any]]:
    """Yield (kind, path, new value) for every single change below ``value``."""
    schema = _resolve(schema, value)
    if isinstance(value, list) and value and "items" in schema:
        yield from _walk(value[0], schema["items"], (*path, "[]"))
        return
    if not isinstance(value, dict) or "properties" not in schema:
        return
    for key, sub in value.items():
        prop = schema["properties"].get(key, {})
        here = (*path, key)
        yield "missing", here, _REMOVE
        if prop.get("deprecated") and sub is not None:
            yield "null", here, None
        if "enum" in prop and isinstance(sub, str):
            yield "enum", here, "added-by-the-api-later"
        if sub is not None and type(sub) in _OTHER_TYPE:
            yield "type", here, _OTHER_TYPE[type(sub)]
        yield from _walk(sub, prop, here)


def variants(operation: tuple[str, str]) -> Iterator[Variant]:
    """Yield every single-change variant of an operation's example answer."""
    body = _example(*operation)
    schema = _success(*operation)["schema"]
    text = json.dumps(body)
    for kind, path, value in _walk(body, schema, ()):
        yield Variant(operation, kind, path, _set(text, path, value))


# --- what must still be read ---------------------------------------------------------------


def _model(tp: Any) -> Any:
    """Strip ``X | None`` and ``list[X]`` down to X."""
    args = [arg for arg in typing.get_args(tp) if arg is not type(None)]
    if typing.get_origin(tp) is list or (args and len(args) < len(typing.get_args(tp))):
        return _model(args[0])
    return tp


def _has_id(cls: Any) -> bool:
    return attrs.has(cls) and "id" in attrs.fields_dict(cls)


def _identity(cls: Any) -> tuple[str, ...]:
    return ACTION_IDENTITY if cls is Action else ("id",) if _has_id(cls) else ()


def must_fail(shape: Shape, path: tuple[str, ...], kind: str) -> bool:
    """Tell whether a change at ``path`` removes what identifies the resource read.

    The rule, from the models: what the answer is read for must be there; the resource at the
    top of the answer needs its ``id``; a result without an id of its own
    (``CreateServerResult``) needs each resource it wraps (not lists of them) and its
    identity; an action, wherever it is, needs its ``id``, ``status`` and ``command`` (and
    is an object, even where it is optional). A new
    enum value is no loss: it is kept. Nothing else is required.
    """
    if kind == "enum":
        return False
    keys = [key for key in path if key != "[]"]
    if isinstance(shape, dict):
        if len(keys) == 1:
            return True  # the answer lacks what was asked for (the server of GET /servers/1)
        owner: Any = _model(shape[keys[0]])
        keys = keys[1:]
    else:
        owner = shape
    anchored = True  # the model read at the top of the answer
    for depth, key in enumerate(keys):
        last = depth == len(keys) - 1
        field = attrs.fields_dict(owner)[key]
        hint = typing.get_type_hints(owner)[key]
        child = _model(hint)
        # A list of resources may come back empty; one resource wrapped must be there.
        single = typing.get_origin(hint) is not list
        wraps = anchored and not _has_id(owner) and field.default is attrs.NOTHING and single
        required = (anchored or owner is Action) and key in _identity(owner)
        if last:
            # An action is never guessed, not even where it is optional: another JSON type
            # there is not "no action".
            garbled_action = child is Action and kind == "type" and single
            return required or (wraps and bool(_identity(child))) or garbled_action
        anchored = wraps and bool(_identity(child))
        owner = child
    return False


def strict_reads(shape: Shape, path: tuple[str, ...], kind: str) -> bool:
    """Tell whether the strict converter accepts a change: only where the model allows it.

    A key left out where the model has a default (the spec marks it optional, or deprecated),
    ``null`` where it is typed ``X | None`` (a deprecated object), a new value of a field the
    model keeps as plain ``str`` (``image.type``: deliberately open). Never another JSON type.
    """
    keys = [key for key in path if key != "[]"]
    if isinstance(shape, dict):
        if len(keys) == 1:
            return False  # nothing to read
        owner: Any = _model(shape[keys[0]])
        keys = keys[1:]
    else:
        owner = shape
    for key in keys[:-1]:
        owner = _model(typing.get_type_hints(owner)[key])
    field = attrs.fields_dict(owner)[keys[-1]]
    hint = typing.get_type_hints(owner)[keys[-1]]
    if kind == "missing":
        return field.default is not attrs.NOTHING
    if kind == "null":
        return type(None) in typing.get_args(hint)
    if kind == "enum":
        return not (isinstance(_model(hint), type) and issubclass(_model(hint), enum.Enum))
    return False
