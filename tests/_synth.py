"""A full response body for an operation the spec gives no example for, from its own values.

Many operations (``GET /networks/{id}``, ``GET /pricing``, ...) have no response example, but
their properties carry ``example`` values (what the docs renderer shows). ``synthesized``
assembles a body from those: every property, optional ones included, one item per array of
objects; an enum without an example takes its first value. ``tests/spec/examples`` was built
the same way.
"""

from __future__ import annotations

import copy
from typing import Any

from ._spec import find_operation, response_example

__all__ = ["synthesized", "synthesized_or_example"]

_DEFAULTS = {"string": "x", "integer": 1, "number": 1.5, "boolean": True}
_DATE_TIME = "2016-01-30T23:55:00Z"


def _value(schema: dict[str, Any]) -> Any:
    kind = schema.get("type")
    if kind == "object" and "properties" in schema:
        return {name: _value(sub) for name, sub in schema["properties"].items()}
    if kind == "array":
        items = schema["items"]
        if items.get("type") in ("object", "array") or "oneOf" in items:
            return [_value(items)]
        if "example" in schema and schema["example"] is not None:
            return copy.deepcopy(schema["example"])
        return [_value(items)]
    if "example" in schema and schema["example"] is not None:
        return copy.deepcopy(schema["example"])
    if "oneOf" in schema:
        return _value(schema["oneOf"][0])
    if kind == "object":
        sub = schema.get("additionalProperties")
        return {"key": _value(sub)} if isinstance(sub, dict) and "type" in sub else {}
    if "enum" in schema:
        return schema["enum"][0]
    if schema.get("format") == "date-time":
        return _DATE_TIME
    return _DEFAULTS[kind]  # type: ignore[index]


def synthesized(method: str, path: str) -> Any:
    """Return a body of the success answer to a concrete request, built from the schema."""
    op = find_operation(method, path)
    (code,) = [code for code in op.spec["responses"] if code.startswith("2")]
    schema = op.spec["responses"][code]["content"]["application/json"]["schema"]
    return _value(schema)


def synthesized_or_example(method: str, path: str) -> Any:
    """Return the spec's own example of the answer, or else a synthesized one."""
    example = response_example(method, path)
    return example if example is not None else synthesized(method, path)
