"""Wire cases of the read-only catalog: server and load balancer types, locations,
datacenters, ISOs and pricing."""

from __future__ import annotations

from typing import Any

from ..._synth import synthesized
from ._core import PAGE, WireCase, page_of


def _last_page(path: str, key: str, item: Any) -> dict[str, Any]:
    """Return one last page of a listing with this item (datacenters add a field to pages)."""
    return {**synthesized("GET", path), **page_of(key, item)}


def _lookups(group: str, path: str, key: str, item_id: int, name: str) -> list[WireCase]:
    """Return the ``get`` and ``get_by_name`` rows of a catalog group."""
    one = synthesized("GET", f"{path}/{item_id}")
    (item,) = one.values()
    return [
        WireCase(f"{group}.get", (item_id,), {}, "GET", f"/v1{path}/{item_id}", [], None, 200, one),
        WireCase(
            f"{group}.get_by_name",
            (name,),
            {},
            "GET",
            f"/v1{path}",
            [("name", name), *PAGE],
            None,
            200,
            _last_page(path, key, item),
        ),
    ]


def _listing(
    call: str, path: str, key: str, kwargs: dict[str, Any], params: list[tuple[str, str]]
) -> WireCase:
    body = _last_page(path, key, synthesized("GET", path)[key][0])
    return WireCase(call, (), kwargs, "GET", f"/v1{path}", [*params, *PAGE], None, 200, body)


CASES = [
    _listing(
        "server_types.list", "/server_types", "server_types", {"name": "cx22"}, [("name", "cx22")]
    ),
    _listing("server_types.iter", "/server_types", "server_types", {}, []),
    *_lookups("server_types", "/server_types", "server_types", 1, "cx22"),
    _listing(
        "locations.list",
        "/locations",
        "locations",
        {"name": "fsn1", "sort": "name"},
        [("name", "fsn1"), ("sort", "name")],
    ),
    _listing(
        "locations.iter", "/locations", "locations", {"sort": ["id:desc"]}, [("sort", "id:desc")]
    ),
    *_lookups("locations", "/locations", "locations", 1, "fsn1"),
    _listing(
        "datacenters.list",
        "/datacenters",
        "datacenters",
        {"name": "fsn1-dc14", "sort": "id"},
        [("name", "fsn1-dc14"), ("sort", "id")],
    ),
    _listing("datacenters.iter", "/datacenters", "datacenters", {}, []),
    *_lookups("datacenters", "/datacenters", "datacenters", 4, "fsn1-dc14"),
    _listing(
        "isos.list",
        "/isos",
        "isos",
        {"name": "FreeBSD-11.0", "architecture": "arm", "include_architecture_wildcard": True},
        [
            ("name", "FreeBSD-11.0"),
            ("architecture", "arm"),
            ("include_architecture_wildcard", "true"),
        ],
    ),
    _listing("isos.iter", "/isos", "isos", {"architecture": "x86"}, [("architecture", "x86")]),
    *_lookups("isos", "/isos", "isos", 4711, "FreeBSD-11.0"),
    _listing(
        "load_balancer_types.list",
        "/load_balancer_types",
        "load_balancer_types",
        {"name": "lb11"},
        [("name", "lb11")],
    ),
    _listing("load_balancer_types.iter", "/load_balancer_types", "load_balancer_types", {}, []),
    *_lookups("load_balancer_types", "/load_balancer_types", "load_balancer_types", 1, "lb11"),
    WireCase(
        "pricing.get", (), {}, "GET", "/v1/pricing", [], None, 200, synthesized("GET", "/pricing")
    ),
]
