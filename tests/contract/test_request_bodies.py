"""Contract: every request the SDK sends matches its operation in the official API description."""

from __future__ import annotations

import pytest

from hetzner_async.resources._base import CREATE_MARKER

from .._spec import find_operation, validate_request
from ..resources.cases import CASES, WireCase


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_request_body_validates_against_the_spec(case: WireCase) -> None:
    """Method, path and body of each public call are what cloud.spec.json describes (strictly:
    no field the spec does not list)."""
    body = case.body
    if body is not None and "labels" in body and case.method == "POST":
        body = {**body, "labels": {**body["labels"], CREATE_MARKER: "0" * 32}}
    validate_request(case.method, case.path, body)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_query_parameters_exist_in_the_spec(case: WireCase) -> None:
    """Every query parameter the SDK sends is one the operation declares."""
    op = find_operation(case.method, case.path)
    declared = {p["name"] for p in op.spec.get("parameters", []) if p.get("in") == "query"}
    assert {name for name, _ in case.query} <= declared


def test_the_contract_check_rejects_an_invented_field() -> None:
    """Guard: the validator is strict enough to catch a field the spec does not have."""
    with pytest.raises(AssertionError):
        validate_request("POST", "/v1/ssh_keys", {"name": "a", "public_key": "k", "colour": "red"})
