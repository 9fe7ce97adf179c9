"""The models against the vendored OpenAPI spec: its examples, and its schemas in both directions.

A failure here means the spec and the models drifted apart; the spec wins.
"""

import enum
import json
import types
import typing
from datetime import datetime
from pathlib import Path
from typing import Any

import attrs
import pytest
from openapi_schema_validator import OAS30Validator

import hetzner_async.models as models
from hetzner_async._convert import strict_converter, structure, unstructure
from hetzner_async.models import (
    Action,
    ConsoleResult,
    CreateFirewallResult,
    CreateServerResult,
    Firewall,
    FirewallResource,
    FirewallRule,
    Meta,
    NetworkRoute,
    NewSubnet,
    NewZoneRRSet,
    RebuildServerResult,
    Server,
    SSHKey,
    ZonePrimaryNameserver,
    ZoneRecord,
    ZoneRRSetType,
)

from .shapes import ACTION, ACTIONS, NO_CONTENT, OPERATIONS, Shape, page

SPEC_DIR = Path(__file__).parents[1] / "spec"
EXAMPLES = SPEC_DIR / "examples"
SPEC = json.loads((SPEC_DIR / "cloud.spec.json").read_text())

ACTIONS_PAGE = page("actions", Action)

SERVER = {"server": Server}
SERVERS_PAGE = {"servers": list[Server], "meta": Meta}
SSH_KEY = {"ssh_key": SSHKey}
FIREWALL = {"firewall": Firewall}


# --- examples --------------------------------------------------------------------------------

RESPONSE_EXAMPLES: dict[str, Shape] = {
    "server.json": SERVER,
    "list_servers_response.json": SERVERS_PAGE,
    "list_servers_empty_response.json": SERVERS_PAGE,
    "pagination_meta.json": SERVERS_PAGE,
    "create_server_response.json": CreateServerResult,
    "delete_server_response.json": ACTION,
    "action.json": ACTION,
    "action_generic.json": ACTION,
    "actions_list_response.json": ACTIONS,
    "server_actions_list_response.json": ACTIONS_PAGE,
    "server_action_poweron_response.json": ACTION,
    "server_action_rebuild_response.json": RebuildServerResult,
    "server_action_request_console_response.json": ConsoleResult,
    "ssh_key.json": SSH_KEY,
    "list_ssh_keys_response.json": {"ssh_keys": list[SSHKey], "meta": Meta},
    "firewall.json": FIREWALL,
    "create_firewall_response.json": CreateFirewallResult,
    "firewall_set_rules_response.json": ACTIONS,
    "firewall_apply_to_resources_response.json": ACTIONS,
    "firewall_remove_from_resources_response.json": ACTIONS,
}

# Request examples whose items are the dual-use models: (file, key of the list, item model).
REQUEST_ITEM_EXAMPLES = [
    ("create_firewall_request.json", "rules", FirewallRule),
    ("create_firewall_request.json", "apply_to", FirewallResource),
    ("firewall_set_rules_request.json", "rules", FirewallRule),
    ("firewall_apply_to_resources_request.json", "apply_to", FirewallResource),
    ("firewall_remove_from_resources_request.json", "remove_from", FirewallResource),
]

# Examples no model here reads: error envelopes belong to the wire layer, and the other request
# bodies are built by the resources.
NOT_MODELLED = {
    "error.json",
    "error_5xx.json",
    "errors_by_code.json",
    "create_server_request.json",
    "create_ssh_key_request.json",
}


def _load(name: str) -> Any:
    return json.loads((EXAMPLES / name).read_text())


def _structure_body(body: Any, shape: Shape) -> Any:
    if isinstance(shape, dict):
        assert set(body) == set(shape), "envelope keys differ from the example"
        return {key: structure(strict_converter, body[key], tp) for key, tp in shape.items()}
    return structure(strict_converter, body, shape)


def test_every_example_is_checked() -> None:
    request_files = {name for name, _, _ in REQUEST_ITEM_EXAMPLES}
    covered = set(RESPONSE_EXAMPLES) | request_files | NOT_MODELLED
    on_disk = {path.name for path in EXAMPLES.glob("*.json")}
    assert on_disk == covered


def _nulls_dropped_where_omitted(original: Any, produced: Any) -> Any:
    """Return ``original`` without the null-valued keys that ``produced`` leaves out."""
    if isinstance(original, dict) and isinstance(produced, dict):
        return {
            key: _nulls_dropped_where_omitted(value, produced.get(key))
            for key, value in original.items()
            if key in produced or value is not None
        }
    if isinstance(original, list) and isinstance(produced, list):
        return [
            _nulls_dropped_where_omitted(o, p) for o, p in zip(original, produced, strict=False)
        ]
    return original


@pytest.mark.parametrize(("name", "shape"), RESPONSE_EXAMPLES.items(), ids=RESPONSE_EXAMPLES)
def test_response_example_structures_strictly_and_round_trips(name: str, shape: Shape) -> None:
    body = _load(name)
    structured = _structure_body(body, shape)
    produced = unstructure(strict_converter, structured)
    # Optional keys sent as null come back omitted (the request-side policy); nothing else moves.
    assert produced == _nulls_dropped_where_omitted(body, produced)
    assert _structure_body(produced, shape) == structured


@pytest.mark.parametrize(
    ("name", "key", "model"),
    REQUEST_ITEM_EXAMPLES,
    ids=[f"{name}:{key}" for name, key, _ in REQUEST_ITEM_EXAMPLES],
)
def test_request_example_items_round_trip(name: str, key: str, model: type) -> None:
    items = _load(name)[key]
    structured = structure(strict_converter, items, list[model])  # type: ignore[valid-type]
    produced = unstructure(strict_converter, structured)
    for item, out in zip(items, produced, strict=True):
        assert {key: value for key, value in out.items() if key in item} == item
        # Empty lists are sent rather than left out, so "no addresses" is explicit.
        assert all(out[key] == [] for key in out.keys() - item.keys())


# --- schemas -> models -----------------------------------------------------------------------


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
    schema = _flatten(schema)
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
            sub = _flatten(sub)
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


def _flatten(schema: dict[str, Any]) -> dict[str, Any]:
    """Read an ``allOf`` or a ``oneOf`` of objects as one object schema (a model's fields)."""
    for key, every in (("allOf", True), ("oneOf", False)):
        parts = [_flatten(part) for part in schema.get(key, [])]
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
    schema = _flatten(schema)
    kind: str = schema["type"]
    if kind == "object" and "properties" in schema:
        if not attrs.has(tp):
            return [f"{path}: an object in the spec, {tp!r} in the model"]
        return _check_model(tp, schema, path, seen)
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


def _check_model(cls: type, schema: dict[str, Any], path: str, seen: set[type]) -> list[str]:
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


def _success(method: str, path: str) -> tuple[str, dict[str, Any]]:
    responses = SPEC["paths"][path][method]["responses"]
    (code,) = [code for code in responses if code.startswith("2")]
    return code, responses[code]


def _check_shape(shape: Shape, schema: dict[str, Any], seen: set[type]) -> list[str]:
    if not isinstance(shape, dict):
        return _check_model(shape, schema, "$", seen)
    props = schema["properties"]
    if set(props) != set(shape):
        return [f"$: envelope keys {sorted(props)} in the spec, {sorted(shape)} in the table"]
    return [
        problem
        for key, tp in shape.items()
        for problem in _check_type(tp, props[key], f"$.{key}", seen)
    ]


@pytest.mark.parametrize(
    ("operation", "shape"), OPERATIONS.items(), ids=[f"{m.upper()} {p}" for m, p in OPERATIONS]
)
def test_model_matches_response_schema(operation: tuple[str, str], shape: Shape) -> None:
    _, response = _success(*operation)
    schema = response["content"]["application/json"]["schema"]
    assert _check_shape(shape, schema, set()) == []


@pytest.mark.parametrize("operation", NO_CONTENT, ids=[f"{m.upper()} {p}" for m, p in NO_CONTENT])
def test_delete_without_body(operation: tuple[str, str]) -> None:
    code, response = _success(*operation)
    assert code == "204"
    assert "content" not in response


def test_every_public_model_is_checked_against_a_schema() -> None:
    seen: set[type] = set()
    for operation, shape in OPERATIONS.items():
        _, response = _success(*operation)
        _check_shape(shape, response["content"]["application/json"]["schema"], seen)
    # Request-only models are checked against their request schemas instead.
    seen |= {model for *_, model in REQUEST_ITEM_SCHEMAS}
    public = {getattr(models, name) for name in models.__all__}
    assert {cls for cls in public if attrs.has(cls)} - seen == set()


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
    problems = _check_model(Drifted, schema, "$", set())
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

    merged = _flatten({"oneOf": [variant("primary", "a"), variant("secondary", "b")]})
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

    assert _check_model(Variants, _flatten(schema), "$", set()) == [
        "$.a: optional in the spec, but the model has no default",
        "$.kind: required and not nullable in the spec, but the model allows None",
    ]


# --- models -> request schemas ---------------------------------------------------------------


def _request_items(method: str, path: str, key: str) -> dict[str, Any]:
    body = SPEC["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
    items: dict[str, Any] = body["properties"][key]["items"]
    return items


RRSET = "/zones/{id_or_name}/rrsets/{rr_name}/{rr_type}"

REQUEST_ITEM_SCHEMAS = [
    ("post", "/firewalls", "rules", FirewallRule),
    ("post", "/firewalls/{id}/actions/set_rules", "rules", FirewallRule),
    ("post", "/firewalls", "apply_to", FirewallResource),
    ("post", "/firewalls/{id}/actions/apply_to_resources", "apply_to", FirewallResource),
    ("post", "/firewalls/{id}/actions/remove_from_resources", "remove_from", FirewallResource),
    ("post", "/networks", "subnets", NewSubnet),
    ("post", "/networks", "routes", NetworkRoute),
    ("post", "/zones", "rrsets", NewZoneRRSet),
    ("post", "/zones", "primary_nameservers", ZonePrimaryNameserver),
    ("post", "/zones/{id_or_name}/rrsets", "records", ZoneRecord),
    ("post", f"{RRSET}/actions/set_records", "records", ZoneRecord),
    ("post", f"{RRSET}/actions/update_records", "records", ZoneRecord),
    (
        "post",
        "/zones/{id_or_name}/actions/change_primary_nameservers",
        "primary_nameservers",
        ZonePrimaryNameserver,
    ),
]

REQUEST_OBJECTS: dict[type, list[Any]] = {
    FirewallRule: [
        FirewallRule(direction="in", protocol="tcp", port="443", source_ips=["0.0.0.0/0", "::/0"]),
        FirewallRule("out", "udp", "1024-5000", destination_ips=["10.0.0.0/8"], description="x"),
        FirewallRule(direction="in", protocol="icmp", source_ips=["0.0.0.0/0"]),
    ],
    FirewallResource: [
        FirewallResource.for_server(5),
        FirewallResource.for_label_selector("env=prod"),
    ],
    NewSubnet: [
        NewSubnet(type="cloud", network_zone="eu-central"),
        NewSubnet(type="cloud", network_zone="eu-central", ip_range="10.0.1.0/24"),
        NewSubnet(type="vswitch", network_zone="eu-central", vswitch_id=1000),
    ],
    NetworkRoute: [NetworkRoute("0.0.0.0/0", "10.0.1.2")],
    ZoneRecord: [
        ZoneRecord("198.51.100.1", "web"),
        ZoneRecord.txt("v=spf1 -all", comment="mail"),
    ],
    ZonePrimaryNameserver: [
        ZonePrimaryNameserver("198.51.100.1", 53, "c2VjcmV0", "hmac-sha256"),
    ],
    NewZoneRRSet: [
        NewZoneRRSet(name="www", type="A", records=["198.51.100.1"]),
        NewZoneRRSet(
            name="@", type=ZoneRRSetType.MX, records=[ZoneRecord("10 mx", "x")], ttl=60, labels={}
        ),
    ],
}


@pytest.mark.parametrize(
    ("method", "path", "key", "model"),
    REQUEST_ITEM_SCHEMAS,
    ids=[f"{m.upper()} {p} {k}" for m, p, k, _ in REQUEST_ITEM_SCHEMAS],
)
def test_request_models_fit_request_schema(method: str, path: str, key: str, model: type) -> None:
    schema = _request_items(method, path, key)
    # applied_to_resources is reported by the API, never sent.
    response_only = {"applied_to_resources"}
    assert {field.name for field in attrs.fields(model)} - response_only == set(
        schema["properties"]
    )
    for obj in REQUEST_OBJECTS[model]:
        OAS30Validator(schema).validate(unstructure(strict_converter, obj))


# --- the spec's own examples, for every operation the SDK reads -----------------------------


def _spec_example(method: str, path: str) -> Any:
    _, response = _success(method, path)
    examples = response.get("content", {}).get("application/json", {}).get("examples", {})
    return next(iter(examples.values()))["value"] if examples else None


WITH_EXAMPLES = [key for key in OPERATIONS if _spec_example(*key) is not None]


@pytest.mark.parametrize(
    "operation", WITH_EXAMPLES, ids=[f"{m.upper()} {p}" for m, p in WITH_EXAMPLES]
)
def test_spec_example_of_every_operation_structures_strictly(operation: tuple[str, str]) -> None:
    """The example the spec gives for each operation's answer reads under the strict converter."""
    body = _spec_example(*operation)
    shape = OPERATIONS[operation]
    structured = _structure_body(body, shape)
    produced = unstructure(strict_converter, structured)
    assert _structure_body(produced, shape) == structured


def test_most_operations_have_a_spec_example() -> None:
    # Guard: the examples are found at all (the spec keeps them under content.examples.default).
    assert len(WITH_EXAMPLES) >= len(OPERATIONS) // 2
