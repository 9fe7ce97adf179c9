"""Contract: what the service and target factories build is what the API's request schemas take.

The create schema is the strictest (every http setting required, ``oneOf`` by protocol); the
add_service, update_service, add_target and remove_target schemas are checked on whole bodies.
"""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from openapi_schema_validator import OAS30Validator

from hetzner_async._convert import strict_converter, structure, unstructure
from hetzner_async.models import (
    LoadBalancer,
    LoadBalancerHealthCheck,
    LoadBalancerService,
    LoadBalancerTarget,
)

from .._spec import response_example, spec, validate_request, without_discriminators

SERVICES = [
    LoadBalancerService.for_tcp(5432),
    LoadBalancerService.for_tcp(443, 8443, proxyprotocol=True),
    LoadBalancerService.for_http(),
    LoadBalancerService.for_http(8080, 80, sticky_sessions=True, cookie_name="s", timeout_idle=5),
    LoadBalancerService.for_https(certificates=[897]),
    LoadBalancerService.for_https(
        certificates=[1, 2],
        redirect_http=True,
        health_check=LoadBalancerHealthCheck.for_http(
            80, domain=None, path="/up", response="ok", status_codes=["2??"], tls=True
        ),
    ),
]
TARGETS = [
    LoadBalancerTarget.for_server(80),
    LoadBalancerTarget.for_server(80, use_private_ip=True),
    LoadBalancerTarget.for_label_selector("role=web"),
    LoadBalancerTarget.for_label_selector("role=web", use_private_ip=False),
    LoadBalancerTarget.for_ip("203.0.113.1"),
]


def _create_item_schema(key: str) -> OAS30Validator:
    body = spec()["paths"]["/load_balancers"]["post"]["requestBody"]["content"]
    items = body["application/json"]["schema"]["properties"][key]["items"]
    return OAS30Validator(without_discriminators(items))


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: f"{s.protocol}:{s.listen_port}")
def test_service_fits_the_create_schema_and_add_service(service: LoadBalancerService) -> None:
    body = unstructure(strict_converter, service)
    _create_item_schema("services").validate(body)
    validate_request("POST", "/v1/load_balancers/1/actions/add_service", body)


def test_the_create_schema_tells_the_protocols_apart() -> None:
    """Guard: a service whose settings do not fit its protocol fails the check above."""
    https = unstructure(strict_converter, LoadBalancerService.for_https(certificates=[897]))
    without_http = {key: value for key, value in https.items() if key != "http"}
    http_without_settings = {**https, "protocol": "http", "http": {"sticky_sessions": True}}
    for body in (without_http, http_without_settings):
        assert not _create_item_schema("services").is_valid(body)


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.type)
def test_target_fits_the_create_schema(target: LoadBalancerTarget) -> None:
    body = unstructure(strict_converter, target)
    _create_item_schema("targets").validate(body)
    validate_request("POST", "/v1/load_balancers/1/actions/add_target", body)


def test_a_service_read_from_the_api_can_be_sent_back() -> None:
    """What the API answers, evolved, fits add_service and update_service as it is."""
    created = response_example("POST", "/v1/load_balancers")
    load_balancer = structure(strict_converter, created["load_balancer"], LoadBalancer)
    (service,) = load_balancer.services
    moved = attrs.evolve(service, listen_port=8443)
    validate_request(
        "POST", "/v1/load_balancers/1/actions/add_service", unstructure(strict_converter, moved)
    )
    update: dict[str, Any] = {
        "listen_port": 443,
        "health_check": unstructure(strict_converter, service.health_check),
        "http": unstructure(strict_converter, service.http),
    }
    validate_request("POST", "/v1/load_balancers/1/actions/update_service", update)
