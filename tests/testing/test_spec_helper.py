"""tests/_spec.py: operations are found by concrete path and bodies are really checked."""

import json
from pathlib import Path

import pytest

from tests._spec import find_operation, response_example, validate_request, validate_response

EXAMPLES = Path(__file__).parents[1] / "spec" / "examples"


def example(name: str) -> object:
    return json.loads((EXAMPLES / name).read_text())


@pytest.mark.parametrize(
    ("method", "path", "template"),
    [
        ("GET", "/servers", "/servers"),
        ("GET", "/v1/servers/actions", "/servers/actions"),
        ("GET", "/servers/42", "/servers/{id}"),
        ("POST", "/servers/42/actions/poweron", "/servers/{id}/actions/poweron"),
        ("GET", "/firewalls/7/actions/9", "/firewalls/{id}/actions/{action_id}"),
        ("GET", "/actions?id=1", "/actions"),
    ],
)
def test_find_operation(method: str, path: str, template: str) -> None:
    assert find_operation(method, path).template == template


def test_unknown_method_and_path_fail() -> None:
    with pytest.raises(AssertionError, match="not in the spec"):
        find_operation("PATCH", "/servers")
    with pytest.raises(AssertionError, match="no path template"):
        find_operation("GET", "/nothing/here")


def test_examples_validate_strictly() -> None:
    validate_response("POST", "/servers", 201, example("create_server_response.json"))
    validate_response("GET", "/firewalls/1", 200, example("firewall.json"))
    validate_request("POST", "/servers", example("create_server_request.json"))


def test_violations_raise_readable_errors() -> None:
    body = example("ssh_key.json")
    assert isinstance(body, dict)
    body["ssh_key"]["fingerprint"] = None
    with pytest.raises(AssertionError, match="at ssh_key/fingerprint"):
        validate_response("GET", "/ssh_keys/1", 200, body)
    with pytest.raises(AssertionError, match="'name' is a required property"):
        validate_request("POST", "/ssh_keys", {"public_key": "x"})


def test_strict_mode_rejects_unknown_keys() -> None:
    body = {"name": "k", "public_key": "ssh-ed25519 AAAA", "colour": "blue"}
    validate_request("POST", "/ssh_keys", body, strict=False)
    with pytest.raises(AssertionError, match="colour"):
        validate_request("POST", "/ssh_keys", body)


def test_error_statuses_use_the_4xx_schema() -> None:
    validate_response("GET", "/servers/1", 404, example("error.json"))
    with pytest.raises(AssertionError):
        validate_response("GET", "/servers/1", 404, {"error": {"message": "no code"}})


def test_no_content_responses() -> None:
    validate_response("DELETE", "/ssh_keys/1", 204, None)
    with pytest.raises(AssertionError, match="has no body"):
        validate_response("DELETE", "/ssh_keys/1", 204, {"x": 1})


def test_fields_newer_than_the_spec_are_known_and_still_checked() -> None:
    """Load balancers on Primary IPs (2026-10-05): the request's ``public_net`` and the ids in
    the answer's ``public_net`` pass; a wrong type or an invented key beside them still fails."""
    body = {"name": "lb", "load_balancer_type": "lb11", "location": "fsn1"}
    validate_request("POST", "/load_balancers", {**body, "public_net": {"ipv4": 5, "ipv6": None}})
    with pytest.raises(AssertionError, match="public_net/ipv4"):
        validate_request("POST", "/load_balancers", {**body, "public_net": {"ipv4": "5"}})
    with pytest.raises(AssertionError, match="public_net"):
        validate_request("POST", "/load_balancers", {**body, "public_net": {"enable_ipv4": True}})
    # GET /load_balancers/{id} has no example; its update answers the same object.
    answer = response_example("PUT", "/load_balancers/1")
    answer["load_balancer"]["public_net"]["ipv4"]["id"] = 42
    validate_response("GET", "/load_balancers/1", 200, answer)
    pagination = {"page": 1, "per_page": 50, "previous_page": None, "next_page": None}
    meta = {"pagination": {**pagination, "last_page": 1, "total_entries": 1}}
    listing = {"load_balancers": [answer["load_balancer"]], "meta": meta}
    validate_response("GET", "/load_balancers", 200, listing)
    answer["load_balancer"]["public_net"]["ipv4"]["primary_ip"] = 42
    with pytest.raises(AssertionError, match="primary_ip"):
        validate_response("GET", "/load_balancers/1", 200, answer)
    created = response_example("POST", "/primary_ips")
    ip = {"primary_ip": {**created["primary_ip"], "assignee_type": "load_balancer"}}
    validate_response("GET", "/primary_ips/1", 200, ip)
    ip["primary_ip"]["assignee_type"] = "volume"
    with pytest.raises(AssertionError, match="assignee_type"):
        validate_response("GET", "/primary_ips/1", 200, ip)


def test_primary_ip_changes_of_2026_04_27_are_known_and_still_checked() -> None:
    """``assignee_type`` is optional on create and an answer may say ``unassigned``
    (https://docs.hetzner.cloud/changelog#2026-04-27-primary-ips-will-return-unassigned); the
    rest of the create body and the answer's other values are still checked."""
    validate_request("POST", "/primary_ips", {"name": "ip", "type": "ipv4", "location": "fsn1"})
    with pytest.raises(AssertionError, match="'type' is a required property"):
        validate_request("POST", "/primary_ips", {"name": "ip", "location": "fsn1"})
    body = {"name": "ip", "type": "ipv4", "assignee_type": "unassigned", "assignee_id": 1}
    with pytest.raises(AssertionError, match="assignee_type"):
        validate_request("POST", "/primary_ips", body)
    created = response_example("POST", "/primary_ips")
    ip = {"primary_ip": {**created["primary_ip"], "assignee_type": "unassigned"}}
    ip["primary_ip"]["assignee_id"] = None
    validate_response("GET", "/primary_ips/1", 200, ip)
    ip["primary_ip"]["assignee_type"] = "nothing"
    with pytest.raises(AssertionError, match="assignee_type"):
        validate_response("GET", "/primary_ips/1", 200, ip)
