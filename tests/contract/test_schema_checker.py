"""The schema checker itself: it names each kind of drift, reads allOf and oneOf as one object."""

from typing import Any

import attrs

from .schema_check import check_model, flatten


def test_checker_reports_drift() -> None:
    # The schema check must be able to fail: a model with one field too many, one missing,
    # a wrong type and a missing None.
    @attrs.frozen
    class Old:
        pass

    @attrs.frozen
    class Drifted:
        id: str
        name: str
        extra: int
        old: Old
        older: int | None

    schema = {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string", "nullable": True},
            "created": {"type": "string", "format": "date-time"},
            "old": {"type": "object", "deprecated": True, "properties": {}},
            "older": {"type": "integer", "deprecated": True},
        },
        "required": ["id", "name", "created", "old", "older"],
    }
    problems = check_model(Drifted, schema, "$", set())
    assert problems == [
        "$.created: in the spec, not in Drifted",
        "$.extra: in Drifted, not in the spec",
        "$.id: integer in the spec, <class 'str'> in the model",
        "$.name: nullable in the spec, but the model does not allow None",
        # A deprecated field will go away: it needs a default, and an object must allow None.
        "$.old: deprecated in the spec, but the model has no default",
        "$.old: a deprecated object, but the model does not allow None",
        "$.older: deprecated in the spec, but the model has no default",
    ]


def test_variants_read_as_one_object() -> None:
    # A oneOf of allOf parts (as the Zone is): properties add up, enums join, and a key is
    # required only where every variant requires it.
    def variant(mode: str, extra: str) -> dict[str, Any]:
        base = {"type": "object", "properties": {"id": {"type": "integer"}}, "required": ["id"]}
        tail = {
            "type": "object",
            "properties": {"mode": {"type": "string", "enum": [mode]}, extra: {"type": "string"}},
            "required": ["mode", extra],
        }
        return {"allOf": [base, tail]}

    merged = flatten({"oneOf": [variant("primary", "a"), variant("secondary", "b")]})
    assert set(merged["properties"]) == {"id", "mode", "a", "b"}
    assert merged["properties"]["mode"]["enum"] == ["primary", "secondary"]
    assert merged["required"] == ["id", "mode"]


def test_checker_reads_one_of_as_the_union_of_its_variants() -> None:
    # A property of only some variants is optional; one that every variant requires is required.
    schema = {
        "oneOf": [
            {
                "type": "object",
                "properties": {"kind": {"type": "string"}, "a": {"type": "integer"}},
                "required": ["kind", "a"],
            },
            {
                "allOf": [
                    {"type": "object", "properties": {"kind": {"type": "string"}}},
                    {"type": "object", "properties": {"b": {"type": "boolean"}}},
                ],
                "required": ["kind", "b"],
            },
        ]
    }

    @attrs.frozen
    class Variants:
        kind: str | None
        a: int
        b: bool | None = None

    assert check_model(Variants, flatten(schema), "$", set()) == [
        "$.a: optional in the spec, but the model has no default",
        "$.kind: required and not nullable in the spec, but the model allows None",
    ]
