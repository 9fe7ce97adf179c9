"""The models against the spec's example payloads: the vendored files, and each operation's own.

A failure here means the spec and the models drifted apart; the spec wins.
"""

import json
from pathlib import Path
from typing import Any

import pytest

from hetzner_async._convert import strict_converter, structure, unstructure
from hetzner_async.models import (
    ConsoleResult,
    CreateFirewallResult,
    CreateServerResult,
    Firewall,
    FirewallResource,
    FirewallRule,
    Meta,
    RebuildServerResult,
    Server,
    SSHKey,
)

from .schema_check import success
from .shapes import ACTION, ACTIONS, ACTIONS_PAGE, OPERATIONS, Shape

EXAMPLES = Path(__file__).parents[1] / "spec" / "examples"

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


# --- the spec's own examples, for every operation the SDK reads -----------------------------


def _spec_example(method: str, path: str) -> Any:
    _, response = success(method, path)
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
