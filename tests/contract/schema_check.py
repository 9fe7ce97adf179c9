"""Read the spec's schemas as a model's fields, and name every place a model drifts from one."""

import enum
import types
import typing
from datetime import datetime
from typing import Any

import attrs

from .._spec import spec
from .shapes import Shape

__all__ = ["REQUIRED_ON_PURPOSE", "SPEC", "check_model", "check_shape", "flatten", "success"]

# With what the real API gained after it (tests/_spec.NEWER_REQUEST_FIELDS and beside).
SPEC = spec()


def _unwrap_optional(tp: Any) -> tuple[Any, bool]:
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        rest = [arg for arg in args if arg is not type(None)]
        if len(rest) == 1 and len(rest) < len(args):
            return rest[0], True
    return tp, False


def _check_value(
    tp: Any,
    schema: dict[str, Any],
    path: str,
    *,
    required: bool,
    has_default: bool,
    seen: set[type],
) -> list[str]:
    schema = flatten(schema)
    inner, optional = _unwrap_optional(tp)
    nullable = schema.get("nullable", False)
    # A deprecated field will go away: the model types it as optional (honestly, not as the
    # spec's "required"), an object as None when absent, a list as empty.
    deprecated = schema.get("deprecated", False)
    problems = []
    if nullable and not optional:
        problems.append(f"{path}: nullable in the spec, but the model does not allow None")
    if optional and required and not nullable and not deprecated:
        problems.append(f"{path}: required and not nullable in the spec, but the model allows None")
    if not required and not (optional or has_default):
        problems.append(f"{path}: optional in the spec, but the model has no default")
    if deprecated and not has_default:
        problems.append(f"{path}: deprecated in the spec, but the model has no default")
    if deprecated and schema.get("type") == "object" and not optional:
        problems.append(f"{path}: a deprecated object, but the model does not allow None")
    return problems + _check_type(inner, schema, path, seen)


def _is_object(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "object" or "properties" in schema


def _merged(parts: list[dict[str, Any]], *, every: bool) -> dict[str, Any]:
    """Merge object schemas into one: ``allOf`` (``every`` part applies) or ``oneOf`` (one does).

    Properties are united, nested objects merged the same way; a property is required when some
    part requires it (allOf) or every part does (oneOf). The first definition of a scalar wins
    (a variant's narrower enum does not hide the others).
    """
    props: dict[str, Any] = {}
    for part in parts:
        for name, sub in part.get("properties", {}).items():
            sub = flatten(sub)
            if name in props and "properties" in props[name] and "properties" in sub:
                props[name] = _merged([props[name], sub], every=every)
            elif name in props and "enum" in sub and "enum" in props[name]:
                # Variants narrow a shared enum (a primary or a secondary zone): keep them all.
                values = sorted({*props[name]["enum"], *sub["enum"]})
                props[name] = {**props[name], "enum": values}
            else:
                props.setdefault(name, sub)
    required = [set(part.get("required", [])) for part in parts]
    merged: dict[str, Any] = {
        "type": "object",
        "properties": props,
        "required": sorted(set.union(*required) if every else set.intersection(*required)),
    }
    if any(part.get("nullable") for part in parts):
        merged["nullable"] = True
    return merged


def flatten(schema: dict[str, Any]) -> dict[str, Any]:
    """Read an ``allOf`` or a ``oneOf`` of objects as one object schema (a model's fields)."""
    for key, every in (("allOf", True), ("oneOf", False)):
        parts = [flatten(part) for part in schema.get(key, [])]
        if parts and all(_is_object(part) for part in parts):
            merged = _merged(parts, every=every)
            own = {k: v for k, v in schema.items() if k != key}
            if "properties" in own or "required" in own:  # siblings of the combinator apply too
                merged = _merged([merged, own], every=True)
            if schema.get("nullable"):
                merged["nullable"] = True
            return merged
    return schema


_SCALARS = {"string": str, "integer": int, "number": float, "boolean": bool}


def _check_tuple(tp: Any, schema: dict[str, Any], path: str) -> list[str]:
    """A JSON array of mixed items (``oneOf`` scalars) read as a tuple of those scalars."""
    alternatives = schema["items"].get("oneOf", [schema["items"]])
    allowed = {_SCALARS[alt["type"]] for alt in alternatives}
    wrong = [arg for arg in typing.get_args(tp) if arg not in allowed]
    return [f"{path}: {wrong} not among the spec's item types {allowed}"] if wrong else []


def _check_type(tp: Any, schema: dict[str, Any], path: str, seen: set[type]) -> list[str]:
    schema = flatten(schema)
    kind: str = schema["type"]
    if kind == "object" and "properties" in schema:
        if not attrs.has(tp):
            return [f"{path}: an object in the spec, {tp!r} in the model"]
        return check_model(tp, schema, path, seen)
    values = schema.get("additionalProperties")
    if kind == "object" and isinstance(values, dict) and _is_object(values):
        # A map of names to objects (metrics' time_series): dict[str, Model].
        if typing.get_origin(tp) is not dict or typing.get_args(tp)[0] is not str:
            return [f"{path}: a map of objects in the spec, {tp!r} in the model"]
        return _check_value(
            typing.get_args(tp)[1],
            values,
            f"{path}{{}}",
            required=True,
            has_default=False,
            seen=seen,
        )
    if kind == "object":
        expected: Any = dict[str, str]
        assert values == {"type": "string"}, path
    elif kind == "array" and typing.get_origin(tp) is tuple:
        return _check_tuple(tp, schema, path)
    elif kind == "array":
        if typing.get_origin(tp) is not list:
            return [f"{path}: an array in the spec, {tp!r} in the model"]
        (item,) = typing.get_args(tp)
        return _check_value(
            item, schema["items"], f"{path}[]", required=True, has_default=False, seen=seen
        )
    elif kind == "string" and schema.get("format") == "date-time":
        expected = datetime
    elif kind == "string" and isinstance(tp, type) and issubclass(tp, enum.Enum):
        values = {member.value for member in tp}
        if values != set(schema.get("enum", [])):
            return [f"{path}: enum {sorted(schema.get('enum', []))} in the spec, {sorted(values)}"]
        return []
    else:
        expected = _SCALARS[kind]
    return [] if tp == expected else [f"{path}: {kind} in the spec, {tp!r} in the model"]


#: Keys the spec marks optional that the models require, on purpose: every documented response
#: carries them, and callers use them at once (to wait on, or for the new firewall's id).
REQUIRED_ON_PURPOSE = {
    ("CreateFirewallResult", "firewall"),
    ("RebuildServerResult", "action"),
    ("EnableRescueResult", "action"),
    ("ResetPasswordResult", "action"),
    ("CreateImageResult", "image"),
    ("CreateImageResult", "action"),
}


def check_model(cls: type, schema: dict[str, Any], path: str, seen: set[type]) -> list[str]:
    seen.add(cls)
    hints = typing.get_type_hints(cls)
    fields = {field.name: field for field in attrs.fields(cls)}
    props = schema["properties"]
    required = set(schema.get("required", []))
    problems = [
        f"{path}.{name}: in the spec, not in {cls.__name__}"
        for name in props.keys() - fields.keys()
    ]
    problems += [
        f"{path}.{name}: in {cls.__name__}, not in the spec"
        for name in fields.keys() - props.keys()
    ]
    for name in sorted(props.keys() & fields.keys()):
        problems += _check_value(
            hints[name],
            props[name],
            f"{path}.{name}",
            required=name in required or (cls.__name__, name) in REQUIRED_ON_PURPOSE,
            has_default=fields[name].default is not attrs.NOTHING,
            seen=seen,
        )
    return problems


def success(method: str, path: str) -> tuple[str, dict[str, Any]]:
    responses = SPEC["paths"][path][method]["responses"]
    (code,) = [code for code in responses if code.startswith("2")]
    return code, responses[code]


def check_shape(shape: Shape, schema: dict[str, Any], seen: set[type]) -> list[str]:
    if not isinstance(shape, dict):
        return check_model(shape, schema, "$", seen)
    props = schema["properties"]
    if set(props) != set(shape):
        return [f"$: envelope keys {sorted(props)} in the spec, {sorted(shape)} in the table"]
    return [
        problem
        for key, tp in shape.items()
        for problem in _check_type(tp, props[key], f"$.{key}", seen)
    ]
