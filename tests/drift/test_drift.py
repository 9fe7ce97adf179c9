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
import functools
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from hetzner_async import HetznerClient
from hetzner_async import _tolerant as tolerant
from hetzner_async._convert import converter, strict_converter, structure
from hetzner_async._wire import decode_body
from hetzner_async.errors import UnexpectedResponseError, UnknownActionStatusError
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
GETS = [("get", f"{path}/{{id}}") for path in GROUPS if ("get", f"{path}/{{id}}") in OPERATIONS]
CREATES = [("post", path) for path in GROUPS if ("post", path) in OPERATIONS]

ALL = [variant for operation in EXAMPLES for variant in variants(operation)]
GET_VARIANTS = [variant for operation in GETS for variant in variants(operation)]
CREATE_VARIANTS = [variant for operation in CREATES for variant in variants(operation)]


def _id(variant: Variant) -> str:
    method, path = variant.operation
    return f"{method.upper()} {path}: {variant.label}"


# --- the examples themselves -----------------------------------------------------------------


def test_every_operation_has_an_example_the_strict_converter_reads() -> None:
    for operation in sorted(OPERATIONS):
        _read(strict_converter, example_of(operation), OPERATIONS[operation])


def test_there_are_hundreds_of_variants_of_every_kind() -> None:
    kinds = {variant.kind for variant in ALL}
    assert kinds == {"missing", "null", "enum", "type"}
    assert len(ALL) > 1000
    assert {variant.operation for variant in GET_VARIANTS} == set(GETS)
    assert ("get", "/servers/{id}") in GETS
    assert ("post", "/servers") in CREATES


def test_every_create_that_answers_a_body_is_exercised() -> None:
    assert set(CREATE_ARGS) == {path for _, path in CREATES}


# --- the converters --------------------------------------------------------------------------


@functools.cache
def _original_ids(operation: tuple[str, str]) -> dict[str, int | None]:
    """The ids of what the unchanged example answer is read as, by envelope key ("" for all)."""
    read = _read(strict_converter, example_of(operation), OPERATIONS[operation])
    pairs = read.items() if isinstance(read, dict) else [("", read)]
    return {key: getattr(model, "id", None) for key, model in pairs}


@pytest.mark.parametrize("variant", ALL, ids=_id)
def test_every_variant_that_keeps_the_identity_is_read(variant: Variant) -> None:
    """The tolerant reader reads it, unless it lost what identifies the resource; the strict
    converter rejects it, unless the models allow the change."""
    shape = OPERATIONS[variant.operation]
    if must_fail(shape, variant.path, variant.kind):
        with pytest.raises(UnexpectedResponseError):
            _read(converter, variant.body, shape)
    else:
        read = _read(converter, variant.body, shape)
        # What identifies the resource is what the original says.
        for key, value in read.items() if isinstance(read, dict) else [("", read)]:
            assert getattr(value, "id", None) == _original_ids(variant.operation)[key]
    if strict_reads(shape, variant.path, variant.kind):
        _read(strict_converter, variant.body, shape)
    else:
        with pytest.raises(UnexpectedResponseError):
            _read(strict_converter, variant.body, shape)


# --- through a client ------------------------------------------------------------------------


class StubAPI:
    """Stands in for ``Transport.request``: answers a create with one body, look-ups correctly."""

    def __init__(self, path: str, created: bytes) -> None:
        group = GROUPS[path]
        self.group = group
        self.created = created
        original = example_of(("post", path))
        self.item = original[group.item_key]
        self.actions = [original[k] for k in ("action",) if k in original]
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


def _through(stub_request: Any, call: Any) -> Any:
    async def main() -> Any:
        hz = HetznerClient(TOKEN, endpoint=ENDPOINT)
        hz._transport.request = stub_request  # type: ignore[method-assign]
        try:
            return await call(hz)
        finally:
            await hz.close()

    return asyncio.run(main())


@pytest.mark.parametrize("variant", GET_VARIANTS, ids=_id)
def test_get_returns_every_variant_that_keeps_the_identity(variant: Variant) -> None:
    group_path = variant.operation[1].removesuffix("/{id}")
    group = GROUPS[group_path]

    async def answer(method: str, path: str, **_: Any) -> Any:
        assert (method, path) == ("GET", f"{group_path}/42")
        return copy.deepcopy(variant.body)

    def call(hz: HetznerClient) -> Any:
        return getattr(hz, ATTRIBUTES[group_path]).get(42)

    if must_fail(OPERATIONS[variant.operation], variant.path, variant.kind):
        with pytest.raises(UnexpectedResponseError):
            _through(answer, call)
    else:
        read = _through(answer, call)
        assert read.id == example_of(variant.operation)[group.item_key]["id"]


def _created(variant: Variant | None, path: str, raw: bytes) -> tuple[Any, StubAPI]:
    stub = StubAPI(path, raw)
    group = GROUPS[path]
    result = _through(
        stub.request, lambda hz: getattr(hz, ATTRIBUTES[path]).create(**CREATE_ARGS[path])
    )
    resource = result if isinstance(result, group.model) else getattr(result, group.item_key)
    assert resource.id == stub.item["id"]
    assert stub.sent.count(("POST", path)) == 1  # applied once, never re-sent
    return result, stub


@pytest.mark.parametrize("variant", CREATE_VARIANTS, ids=_id)
def test_a_create_answered_with_any_variant_returns_what_it_created(variant: Variant) -> None:
    path = variant.operation[1]
    _, stub = _created(variant, path, json.dumps(variant.body).encode())
    read_back = len(stub.sent) > 1
    # Read back exactly when the answer lost what identifies the result.
    assert read_back == must_fail(OPERATIONS[variant.operation], variant.path, variant.kind)


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


RAW = [(path, label, raw) for path in CREATE_ARGS for label, raw in _cut_offs(path)]


@pytest.mark.parametrize(
    ("path", "label", "raw"), RAW, ids=[f"POST {path}: {label}" for path, label, _ in RAW]
)
def test_a_create_answered_with_an_unreadable_body_returns_what_it_created(
    path: str, label: str, raw: bytes
) -> None:
    _, stub = _created(None, path, raw)
    assert len(stub.sent) > 1  # read back by the id the body shows, or by name


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
