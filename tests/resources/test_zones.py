"""``hz.zones`` and ``hz.zones.rrsets`` beyond the wire table: adoption, repeats, pages, checks."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aioresponses import CallbackResult, aioresponses

from hetzner_async import HetznerClient
from hetzner_async.errors import NotFoundError, ValidationError
from hetzner_async.models import ActionStatus, NewZoneRRSet, ZonePrimaryNameserver, ZoneRecord

from .._spec import response_example
from ..wire import sent
from .cases import page_of

BASE = r"^http://127\.0\.0\.1:9/v1"
ERROR_500 = {"error": {"code": "server_error", "message": "boom", "details": None}}
NOT_FOUND = {"error": {"code": "not_found", "message": "gone", "details": None}}


def _url(path: str) -> re.Pattern[str]:
    return re.compile(BASE + re.escape(path) + r"(\?.*)?$")


def _action(command: str, action_id: int = 7) -> dict[str, Any]:
    action: dict[str, Any] = response_example("POST", "/zones")["action"]
    action.update(id=action_id, command=command)
    return action


def _posted_then_500(into: dict[str, Any]) -> Callable[..., CallbackResult]:
    """Answer a POST with 500 (outcome unknown), keeping the body it carried."""

    def callback(url: Any, **kwargs: Any) -> CallbackResult:
        into.update(json.loads(kwargs["data"]))
        return CallbackResult(status=500, payload=ERROR_500)

    return callback


async def test_zone_create_adopts_the_zone_an_ambiguous_try_created(
    hz: HetznerClient, api: aioresponses
) -> None:
    """After a 500, the zone is found by name with this call's marker: adopted, not re-sent."""
    posted: dict[str, Any] = {}
    api.post(_url("/zones"), callback=_posted_then_500(posted))

    def listing(url: Any, **kwargs: Any) -> CallbackResult:
        zone = copy.deepcopy(response_example("POST", "/zones")["zone"])
        zone["labels"] = posted["labels"]
        return CallbackResult(payload=page_of("zones", zone))

    api.get(_url("/zones"), callback=listing)
    actions = [_action("change_ttl", 9), _action("create_zone", 8)]
    api.get(_url("/zones/42/actions"), payload=page_of("actions", actions[1]))

    result = await hz.zones.create(name="example.com", mode="primary", labels={"env": "prod"})

    assert result.zone.id == 42
    assert result.action.command == "create_zone"
    assert [(m, p) for m, p, _, _ in sent(api)] == [
        ("POST", "/v1/zones"),
        ("GET", "/v1/zones"),
        ("GET", "/v1/zones/42/actions"),
    ]


async def test_rrset_create_adopts_the_rrset_an_ambiguous_try_created(
    hz: HetznerClient, api: aioresponses
) -> None:
    """The RRSet is read back by name and type; its action is the zone's latest create_rrset."""
    posted: dict[str, Any] = {}
    api.post(_url("/zones/example.com/rrsets"), callback=_posted_then_500(posted))

    def read_back(url: Any, **kwargs: Any) -> CallbackResult:
        rrset = response_example("POST", "/zones/42/rrsets")["rrset"]
        rrset["labels"] = posted["labels"]
        return CallbackResult(payload={"rrset": rrset})

    api.get(_url("/zones/example.com/rrsets/www/A"), callback=read_back)
    newest_first = [_action("delete_rrset", 12), _action("create_rrset", 11)]
    api.get(
        _url("/zones/example.com/actions"),
        payload={**page_of("actions", newest_first[0]), "actions": newest_first},
    )

    result = await hz.zones.rrsets.create(
        "example.com", name="www", type="A", records=["198.51.100.1"]
    )

    assert (result.rrset.id, result.action.id) == ("www/A", 11)
    assert sent(api)[-1][2] == [("sort", "id:desc"), ("page", "1"), ("per_page", "50")]


@pytest.mark.parametrize(
    ("delete", "path", "resources"),
    [
        (lambda hz: hz.zones.delete("example.com"), "/zones/example.com", []),
        (lambda hz: hz.zones.rrsets.delete(42, "www", "A"), "/zones/42/rrsets/www/A", [42]),
    ],
    ids=["zone", "rrset"],
)
async def test_delete_counts_gone_after_an_ambiguous_try_as_deleted(
    hz: HetznerClient,
    api: aioresponses,
    delete: Callable[[HetznerClient], Awaitable[Any]],
    path: str,
    resources: list[int],
) -> None:
    """A DELETE answered 500 is repeated; a 404 then means the first try deleted it."""
    api.delete(_url(path), status=500, payload=ERROR_500)
    api.delete(_url(path), status=404, payload=NOT_FOUND)
    action = await delete(hz)
    assert (action.id, action.status) == (0, ActionStatus.SUCCESS)
    assert [r.id for r in action.resources] == resources
    assert len(sent(api)) == 2


async def test_zone_delete_finds_the_delete_an_ambiguous_try_started(
    hz: HetznerClient, api: aioresponses
) -> None:
    """A repeat answered ``locked`` means the first try's delete is running: that is returned."""
    api.delete(_url("/zones/example.com"), status=500, payload=ERROR_500)
    locked = {"error": {"code": "locked", "message": "busy", "details": None}}
    api.delete(_url("/zones/example.com"), status=423, payload=locked)
    actions = [_action("create_zone", 5), _action("delete_zone", 6)]
    api.get(
        _url("/zones/example.com/actions"),
        payload={**page_of("actions", actions[0]), "actions": actions},
    )
    action = await hz.zones.delete("example.com")
    assert (action.id, action.command) == (6, "delete_zone")


async def test_delete_of_a_missing_zone_is_not_found(hz: HetznerClient, api: aioresponses) -> None:
    """Without an earlier ambiguous try, a 404 is the caller's to know."""
    api.delete(_url("/zones/example.com"), status=404, payload=NOT_FOUND)
    with pytest.raises(NotFoundError):
        await hz.zones.delete("example.com")


async def test_rrset_iter_asks_for_pages_of_100(hz: HetznerClient, api: aioresponses) -> None:
    """The RRSet listing serves up to 100 per page, and ``iter`` follows ``next_page``."""
    rrset = response_example("PUT", "/zones/42/rrsets/www/A")["rrset"]
    first = page_of("rrsets", rrset)
    first["meta"]["pagination"].update(next_page=2, last_page=2, per_page=100)
    second = page_of("rrsets", {**rrset, "id": "api/A", "name": "api"})
    api.get(_url("/zones/42/rrsets"), payload=first)
    api.get(_url("/zones/42/rrsets"), payload=second)
    names = [r.name async for r in hz.zones.rrsets.iter(42)]
    assert names == ["www", "api"]
    assert [q for _, _, q, _ in sent(api)] == [
        [("page", "1"), ("per_page", "100")],
        [("page", "2"), ("per_page", "100")],
    ]


TSIG = ZonePrimaryNameserver("198.51.100.1", tsig_key="not base64!", tsig_algorithm="hmac-sha256")

#: Calls refused before any request, with the field the error names.
REFUSED: list[tuple[str, Callable[[HetznerClient], Any], str]] = [
    ("upper-case zone", lambda hz: hz.zones.get("Example.com"), "zone"),
    ("zone id 0", lambda hz: hz.zones.export_zonefile(0), "zone"),
    ("zone name with dot", lambda hz: hz.zones.create(name="example.com.", mode="primary"), "name"),
    ("mode", lambda hz: hz.zones.create(name="example.com", mode="master"), "mode"),
    ("zone ttl", lambda hz: hz.zones.create(name="example.com", mode="primary", ttl=59), "ttl"),
    (
        "nameservers on primary",
        lambda hz: hz.zones.create(
            name="example.com",
            mode="primary",
            primary_nameservers=[ZonePrimaryNameserver("198.51.100.1")],
        ),
        "primary_nameservers",
    ),
    (
        "rrsets on secondary",
        lambda hz: hz.zones.create(
            name="example.com",
            mode="secondary",
            rrsets=[NewZoneRRSet(name="www", type="A", records=["198.51.100.1"])],
        ),
        "rrsets",
    ),
    (
        "rrsets and zonefile",
        lambda hz: hz.zones.create(
            name="example.com",
            mode="primary",
            rrsets=[NewZoneRRSet(name="www", type="A", records=["198.51.100.1"])],
            zonefile="@ IN A 198.51.100.1\n",
        ),
        "rrsets",
    ),
    (
        "bad record in create",
        lambda hz: hz.zones.create(
            name="example.com",
            mode="primary",
            rrsets=[NewZoneRRSet(name="www", type="A", records=["2001:db8::1"])],
        ),
        "rrsets[0].records[0].value",
    ),
    (
        "tsig key",
        lambda hz: hz.zones.change_primary_nameservers("example.com", [TSIG]),
        "primary_nameservers[0].tsig_key",
    ),
    (
        "zonefile origin",
        lambda hz: hz.zones.import_zonefile("example.com", "$ORIGIN example.org.\n"),
        "zonefile",
    ),
    ("list mode", lambda hz: hz.zones.iter(mode="slave"), "mode"),
    ("protection", lambda hz: hz.zones.change_protection(42, delete="yes"), "delete"),
    ("absolute name", lambda hz: hz.zones.rrsets.get("example.com", "www.", "A"), "name"),
    ("repeats zone", lambda hz: hz.zones.rrsets.get("example.com", "www.example.com", "A"), "name"),
    ("type", lambda hz: hz.zones.rrsets.get(42, "www", "a"), "type"),
    ("list type", lambda hz: hz.zones.rrsets.iter(42, type=["A", "SPF"]), "type"),
    ("no records", lambda hz: hz.zones.rrsets.set_records(42, "www", "A", []), "records"),
    (
        "51 records",
        lambda hz: hz.zones.rrsets.add_records(
            42, "www", "A", [f"198.51.100.{i}" for i in range(51)]
        ),
        "records",
    ),
    (
        "AAAA value",
        lambda hz: hz.zones.rrsets.add_records(42, "www", "AAAA", ["198.51.100.1"]),
        "records[0].value",
    ),
    (
        "unquoted TXT",
        lambda hz: hz.zones.rrsets.create(42, name="@", type="TXT", records=["v=spf1 -all"]),
        "records[0].value",
    ),
    (
        "two CNAMEs",
        lambda hz: hz.zones.rrsets.create(42, name="w", type="CNAME", records=["a.", "b."]),
        "records",
    ),
    (
        "update without comment",
        lambda hz: hz.zones.rrsets.update_records(42, "www", "A", [ZoneRecord("198.51.100.1")]),
        "records[0].comment",
    ),
    ("rrset ttl", lambda hz: hz.zones.rrsets.change_ttl(42, "www", "A", 30), "ttl"),
    (
        "rrset labels",
        lambda hz: hz.zones.rrsets.update(42, "www", "A", labels={"hetzner.cloud/x": "y"}),
        "labels",
    ),
]


@pytest.mark.parametrize(("call", "field"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
async def test_bad_input_is_refused_before_any_request(
    hz: HetznerClient, api: aioresponses, call: Callable[[HetznerClient], Any], field: str
) -> None:
    async def run() -> None:
        result = call(hz)  # ``iter`` checks when called; the others when awaited
        if isinstance(result, Awaitable):
            await result

    with pytest.raises(ValidationError) as caught:
        await run()
    assert caught.value.field == field
    assert sent(api) == []
