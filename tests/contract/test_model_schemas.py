"""Every model against the spec's schemas, both ways: answers read into models, requests fit."""

from typing import Any

import attrs
import pytest
from openapi_schema_validator import OAS30Validator

import hetzner_async.models as models
from hetzner_async._convert import strict_converter, unstructure
from hetzner_async.models import (
    FirewallResource,
    FirewallRule,
    NetworkRoute,
    NewSubnet,
    NewZoneRRSet,
    ZonePrimaryNameserver,
    ZoneRecord,
    ZoneRRSetType,
)

from .schema_check import SPEC, check_shape, success
from .shapes import NO_CONTENT, OPERATIONS, Shape

# --- schemas -> models -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "shape"), OPERATIONS.items(), ids=[f"{m.upper()} {p}" for m, p in OPERATIONS]
)
def test_model_matches_response_schema(operation: tuple[str, str], shape: Shape) -> None:
    _, response = success(*operation)
    schema = response["content"]["application/json"]["schema"]
    assert check_shape(shape, schema, set()) == []


@pytest.mark.parametrize("operation", NO_CONTENT, ids=[f"{m.upper()} {p}" for m, p in NO_CONTENT])
def test_delete_without_body(operation: tuple[str, str]) -> None:
    code, response = success(*operation)
    assert code == "204"
    assert "content" not in response


def test_every_public_model_is_checked_against_a_schema() -> None:
    seen: set[type] = set()
    for operation, shape in OPERATIONS.items():
        _, response = success(*operation)
        check_shape(shape, response["content"]["application/json"]["schema"], seen)
    # Request-only models are checked against their request schemas instead.
    seen |= {model for *_, model in REQUEST_ITEM_SCHEMAS}
    public = {getattr(models, name) for name in models.__all__}
    assert {cls for cls in public if attrs.has(cls)} - seen == set()


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
