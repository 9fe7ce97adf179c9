"""Drift: the SDK keeps reading answers that differ from the spec's examples in one place.

For every operation in ``tests/contract/shapes`` (a new group's shapes join automatically), each
variant of its example answer (``variants.py``) must be read by the tolerant reader unless it
loses the identity of what was asked for; the strict converter must reject every variant that
breaks the spec. Through a client: ``get`` returns every readable variant, and a create
answered 201 with *any* variant, even one without identity or not JSON at all, returns the
resource it created (read back by id or by name) after a single POST.
"""

from __future__ import annotations

import asyncio
import copy
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from hetzner_async import HetznerClient
from hetzner_async import _tolerant as tolerant
from hetzner_async._convert import converter, strict_converter, structure
from hetzner_async._wire import decode_body
from hetzner_async.errors import (
    HetznerError,
    UnexpectedResponseError,
    UnknownActionStatusError,
)
from hetzner_async.resources._base import CREATE_MARKER
from hetzner_async.resources._collection import Collection

from ..contract.shapes import OPERATIONS, Shape
from ..virtual_time import run_virtual
from ..wire import ENDPOINT, TOKEN, mocked_api
from .variants import EXAMPLES, Variant, example_of, must_fail, strict_reads, variants

PAGINATION = {
    "page": 1,
    "per_page": 50,
    "previous_page": None,
    "next_page": None,
    "last_page": 1,
    "total_entries": 1,
}

#: The arguments of each group's create; a group whose create answers a body needs one here.
CREATE_ARGS: dict[str, dict[str, Any]] = {
    "/servers": {"name": "web-1", "server_type": "cx22", "image": "debian-12"},
    "/ssh_keys": {"name": "laptop", "public_key": "ssh-ed25519 AAAAC3Nza example"},
    "/firewalls": {"name": "web"},
    "/placement_groups": {"name": "spread-1", "type": "spread"},
    "/volumes": {"name": "data-1", "size": 10, "location": "fsn1"},
    "/primary_ips": {"name": "ip-1", "type": "ipv4", "location": "fsn1"},
    "/floating_ips": {"name": "fip-1", "type": "ipv4", "home_location": "fsn1"},
    "/networks": {"name": "net-1", "ip_range": "10.0.0.0/16"},
    "/zones": {"name": "example.com", "mode": "primary"},
    "/load_balancers": {"name": "lb-1", "load_balancer_type": "lb11", "location": "fsn1"},
    "/certificates": {"name": "cert-1", "type": "managed", "domain_names": ["example.com"]},
}


@pytest.fixture(autouse=True)
def _quiet_once() -> Iterator[None]:
    """Warnings are once per process: keep this module's from hiding later tests' warnings."""
    saved = set(tolerant._warned)
    yield
    tolerant._warned.clear()
    tolerant._warned.update(saved)


def _read(conv: Any, body: Any, shape: Shape) -> Any:
    if isinstance(shape, dict):
        if not isinstance(body, dict):
            raise UnexpectedResponseError(status=200, code="unexpected_response", message="-")
        return {key: structure(conv, body.get(key), tp) for key, tp in shape.items()}
    return structure(conv, body, shape)


def _groups() -> dict[str, tuple[str, Collection[Any]]]:
    """Every collection of a client by its path: (attribute name, the group)."""
    hz = HetznerClient(TOKEN, endpoint=ENDPOINT)
    return {g.path: (name, g) for name, g in vars(hz).items() if isinstance(g, Collection)}


ATTRIBUTES = {path: name for path, (name, _) in _groups().items()}
GROUPS = {path: group for path, (_, group) in _groups().items()}
#: ``GET {path}/{id}`` (or ``{id_or_name}``) of every collection.
GETS = [
    operation
    for path in GROUPS
    for operation in sorted(OPERATIONS)
    if operation[0] == "get" and re.fullmatch(rf"{re.escape(path)}/\{{\w+\}}", operation[1])
]
CREATES = [("post", path) for path in GROUPS if ("post", path) in OPERATIONS]

#: Every variant of every distinct answer, by operation.
VARIANTS = {operation: list(variants(operation)) for operation in EXAMPLES}
ALL = [variant for operation in EXAMPLES for variant in VARIANTS[operation]]


def _name(operation: tuple[str, str]) -> str:
    return f"{operation[0].upper()} {operation[1]}"


class Failures:
    """Collect what went wrong for each variant of one operation, to report them all at once."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def check(self, variant: Variant | str, ok: bool, detail: object = "") -> None:
        if not ok:
            label = variant if isinstance(variant, str) else variant.label
            self.found.append(f"{label}: {detail}")


def _raises(call: Any) -> BaseException | None:
    try:
        call()
    except UnexpectedResponseError as error:
        return error
    return None


# --- the examples themselves -----------------------------------------------------------------


def test_every_operation_has_an_example_the_strict_converter_reads() -> None:
    for operation in sorted(OPERATIONS):
        _read(strict_converter, example_of(operation), OPERATIONS[operation])


def test_there_are_thousands_of_variants_of_every_kind() -> None:
    kinds = {variant.kind for variant in ALL}
    assert kinds == {"missing", "null", "enum", "type"}
    assert len(ALL) > 1000
    assert ("get", "/servers/{id}") in GETS
    assert ("post", "/servers") in CREATES


def test_every_create_that_answers_a_body_is_exercised() -> None:
    assert set(CREATE_ARGS) == {path for _, path in CREATES}


# --- the converters --------------------------------------------------------------------------


def _ids(read: Any) -> dict[str, int | None]:
    """The ids of what an answer was read as, by envelope key ("" for a whole-body model)."""
    pairs = read.items() if isinstance(read, dict) else [("", read)]
    return {key: getattr(model, "id", None) for key, model in pairs}


@pytest.mark.parametrize("operation", EXAMPLES, ids=_name)
def test_every_variant_that_keeps_the_identity_is_read(operation: tuple[str, str]) -> None:
    """The tolerant reader reads each variant, unless it lost what identifies the resource,
    with the original's identity; the strict converter rejects it, unless the models allow it."""
    shape = OPERATIONS[operation]
    original = _ids(_read(strict_converter, example_of(operation), shape))
    failures = Failures()
    for variant in VARIANTS[operation]:
        if must_fail(shape, variant.path, variant.kind):
            error = _raises(lambda v=variant: _read(converter, v.body, shape))
            failures.check(variant, error is not None, "the tolerant reader read it")
        else:
            try:
                failures.check(variant, _ids(_read(converter, variant.body, shape)) == original)
            except UnexpectedResponseError as error:
                failures.check(variant, False, error)
        rejected = _raises(lambda v=variant: _read(strict_converter, v.body, shape))
        expected = not strict_reads(shape, variant.path, variant.kind)
        failures.check(variant, (rejected is not None) == expected, f"strict: {rejected}")
    assert failures.found == []


# --- through a client ------------------------------------------------------------------------


class StubAPI:
    """Stands in for ``Transport.request``: answers a create with one body, look-ups correctly."""

    def __init__(self, path: str, created: bytes) -> None:
        group = GROUPS[path]
        self.group = group
        self.created = created
        original = example_of(("post", path))
        self.item = original[group.item_key]
        self.actions = [original[k] for k in ("action",) if original.get(k) is not None]
        self.actions += original.get("next_actions", []) + original.get("actions", [])
        self.marker: str | None = None
        self.sent: list[tuple[str, str]] = []

    async def request(
        self, method: str, path: str, *, params: Any = None, json_body: Any = None
    ) -> dict[str, Any]:
        self.sent.append((method, path))
        if method == "POST":
            self.marker = json_body["labels"][CREATE_MARKER]
            return decode_body(201, self.created, method=method, path=path)
        item = {**self.item, "labels": {CREATE_MARKER: self.marker}}
        if path == self.group.path:  # by name
            return {self.group.page_key: [item], "meta": {"pagination": PAGINATION}}
        if path.endswith("/actions"):
            return {"actions": self.actions, "meta": {"pagination": PAGINATION}}
        return {self.group.item_key: item}


def _with_client(scenario: Any) -> None:
    async def main() -> None:
        async with HetznerClient(TOKEN, endpoint=ENDPOINT) as hz:
            await scenario(hz)

    asyncio.run(main())


@pytest.mark.parametrize("operation", GETS, ids=_name)
def test_get_returns_every_variant_that_keeps_the_identity(operation: tuple[str, str]) -> None:
    group_path = operation[1].rsplit("/", 1)[0]
    group = GROUPS[group_path]
    expected_id = example_of(operation)[group.item_key]["id"]
    failures = Failures()

    async def scenario(hz: HetznerClient) -> None:
        for variant in variants(operation):

            async def answer(method: str, path: str, _v: Variant = variant, **_: Any) -> Any:
                assert (method, path) == ("GET", f"{group_path}/42")
                return copy.deepcopy(_v.body)

            hz._transport.request = answer  # type: ignore[method-assign]
            get = getattr(hz, ATTRIBUTES[group_path]).get
            try:
                read = await get(42)
            except UnexpectedResponseError as error:
                failures.check(variant, must_fail(group_shape, variant.path, variant.kind), error)
            else:
                lost = must_fail(group_shape, variant.path, variant.kind)
                failures.check(variant, not lost and read.id == expected_id, read)

    group_shape = OPERATIONS[operation]
    _with_client(scenario)
    assert failures.found == []


async def _create(hz: HetznerClient, path: str, raw: bytes) -> tuple[Any, StubAPI]:
    """Create through ``hz`` against a stub that answers the POST with ``raw``."""
    stub = StubAPI(path, raw)
    hz._transport.request = stub.request  # type: ignore[method-assign]
    result = await getattr(hz, ATTRIBUTES[path]).create(**CREATE_ARGS[path])
    group = GROUPS[path]
    resource = result if isinstance(result, group.model) else getattr(result, group.item_key)
    assert resource.id == stub.item["id"], resource
    assert stub.sent.count(("POST", path)) == 1, stub.sent  # applied once, never re-sent
    return result, stub


@pytest.mark.parametrize("operation", CREATES, ids=_name)
def test_a_create_answered_with_any_variant_returns_what_it_created(
    operation: tuple[str, str],
) -> None:
    """Read back (by id or name) exactly when the answer lost what identifies the result."""
    path = operation[1]
    shape = OPERATIONS[operation]
    failures = Failures()

    async def scenario(hz: HetznerClient) -> None:
        for variant in variants(operation):
            try:
                _, stub = await _create(hz, path, json.dumps(variant.body).encode())
            except (AssertionError, HetznerError) as error:
                failures.check(variant, False, repr(error))
                continue
            read_back = len(stub.sent) > 1
            lost = must_fail(shape, variant.path, variant.kind)
            failures.check(variant, read_back == lost, f"read back: {read_back}")

    _with_client(scenario)
    assert failures.found == []


def _cut_offs(path: str) -> list[tuple[str, bytes]]:
    text = json.dumps(example_of(("post", path)))
    return [
        *(
            (f"cut at {share}%", text[: len(text) * share // 100].encode())
            for share in (10, 50, 90)
        ),
        ("empty", b""),
        ("null", b"null"),
        ("array", b"[]"),
        ("html", b"<html><body>201 Created</body></html>"),
    ]


@pytest.mark.parametrize("operation", CREATES, ids=_name)
def test_a_create_answered_with_an_unreadable_body_returns_what_it_created(
    operation: tuple[str, str],
) -> None:
    failures = Failures()

    async def scenario(hz: HetznerClient) -> None:
        for label, raw in _cut_offs(operation[1]):
            try:
                _, stub = await _create(hz, operation[1], raw)
            except (AssertionError, HetznerError) as error:
                failures.check(label, False, repr(error))
            else:  # read back by the id the body shows, or by name
                failures.check(label, len(stub.sent) > 1, stub.sent)

    _with_client(scenario)
    assert failures.found == []


# --- the third-party emulator of issue 10 ------------------------------------------------------


def test_sixty_concurrent_creates_without_location_and_more_all_return_their_servers(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """cloudalone 0.2 answers creates without location, server_type.locations, image.deleted."""
    body = example_of(("post", "/servers"))
    del body["server"]["location"]
    del body["server"]["server_type"]["locations"]
    del body["server"]["image"]["deleted"]
    tolerant._warned.clear()

    async def main() -> list[Any]:
        async with HetznerClient(TOKEN, endpoint=ENDPOINT) as hz:
            return await asyncio.gather(
                *(
                    hz.servers.create(name=f"web-{i}", server_type="cx22", image="debian-12")
                    for i in range(60)
                )
            )

    with mocked_api() as api, caplog.at_level("WARNING", logger="hetzner_async"):
        api.post(re.compile(r"^http://127\.0\.0\.1:9/v1/servers$"), payload=body, repeat=True)
        results, _ = run_virtual(main)
    assert len(results) == 60
    assert all(result.server.id == body["server"]["id"] for result in results)
    assert all(result.server.location is None for result in results)
    assert all(result.server.server_type.locations == [] for result in results)
    warnings = sorted(r.getMessage() for r in caplog.records if r.levelname == "WARNING")
    assert warnings == [
        "the API did not send CreateServerResult.server.image.deleted; it reads as None",
        "the API did not send CreateServerResult.server.location; it reads as None",
        "the API did not send CreateServerResult.server.server_type.locations; it reads as []",
    ]


# --- a status the SDK does not know ----------------------------------------------------------


def test_waiting_on_an_action_in_a_new_status_ends_at_once_without_claiming_success() -> None:
    running = example_of(("get", "/actions/{id}"))["action"]
    running.update(status="running", finished=None, error=None)
    paused = {**running, "status": "paused"}

    async def main() -> None:
        async with HetznerClient(TOKEN, endpoint=ENDPOINT) as hz:
            action = hz.actions.parse(running)
            await hz.actions.wait(action, timeout=60)

    with mocked_api() as api:
        api.get(
            re.compile(r"^http://127\.0\.0\.1:9/v1/actions\?.*$"),
            payload={"actions": [paused]},
            repeat=True,
        )
        with pytest.raises(UnknownActionStatusError) as raised:
            run_virtual(main)
    assert raised.value.action.status == "paused"
    assert "paused" in str(raised.value)
