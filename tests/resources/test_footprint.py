"""``hz.deprovision``: everything carrying a label, deleted in an order the API accepts."""

from __future__ import annotations

import re
from typing import Any

import pytest
from aioresponses import CallbackResult, aioresponses

from hetzner_async import FootprintReport, HetznerClient
from hetzner_async.errors import ProtectedError, ValidationError

from .._synth import synthesized_or_example
from ..wire import sent
from .cases import page_of

BASE = r"^http://127\.0\.0\.1:9/v1"
KINDS = {
    "servers": "server",
    "load_balancers": "load_balancer",
    "firewalls": "firewall",
    "floating_ips": "floating_ip",
    "primary_ips": "primary_ip",
    "volumes": "volume",
    "certificates": "certificate",
    "placement_groups": "placement_group",
    "images": "image",
    "ssh_keys": "ssh_key",
    "networks": "network",
}
DONE = {
    "id": 9,
    "command": "x",
    "status": "success",
    "progress": 100,
    "started": "2016-01-30T23:55:00Z",
    "finished": "2016-01-30T23:56:00Z",
    "resources": [],
    "error": None,
}


def _item(kind: str, rid: int, **fields: Any) -> dict[str, Any]:
    item: dict[str, Any] = synthesized_or_example("GET", f"/v1/{kind}/1")[KINDS[kind]]
    item.update(id=rid, **fields)
    return item


def _listing(api: aioresponses, kind: str, items: list[dict[str, Any]]) -> None:
    body = page_of(kind, items[0]) if items else page_of(kind, None)
    body[kind] = items
    api.get(re.compile(rf"{BASE}/{kind}\?.*label_selector=fleet%3Dx.*$"), payload=body)


def _answer(api: aioresponses, method: str, path: str, status: int, body: Any = None) -> None:
    def reply(url: Any, **_: Any) -> CallbackResult:
        return CallbackResult(status=status, payload=body)

    api.add(re.compile(rf"{BASE}{re.escape(path)}(\?.*)?$"), method, callback=reply)


def _order(api: aioresponses) -> list[tuple[str, str]]:
    return [(method, path.removeprefix("/v1")) for method, path, *_ in sent(api)]


async def test_deprovision_deletes_in_stages_and_detaches_first(
    hz: HetznerClient, api: aioresponses
) -> None:
    """Servers first; volumes detached and firewalls released before their delete; networks last."""
    for kind in KINDS:
        if kind not in ("servers", "volumes", "firewalls", "networks"):
            _listing(api, kind, [])
    _listing(api, "servers", [_item("servers", 42, labels={"fleet": "x"})])
    _listing(api, "servers", [])  # deprovision lists again until nothing matches
    _answer(api, "DELETE", "/servers/42", 200, {"action": {**DONE, "id": 1, "status": "running"}})
    api.get(re.compile(rf"{BASE}/actions\?.*$"), payload={"actions": [{**DONE, "id": 1}]})
    volume = _item("volumes", 5, server=7)
    _listing(api, "volumes", [volume, _item("volumes", 6, server=None)])
    _answer(api, "POST", "/volumes/5/actions/detach", 201, {"action": DONE})
    _answer(api, "DELETE", "/volumes/5", 204)
    _answer(api, "DELETE", "/volumes/6", 404, {"error": {"code": "not_found", "message": "gone"}})
    firewall = _item("firewalls", 8)
    firewall["applied_to"] = [{"type": "server", "server": {"id": 7}}]
    _listing(api, "firewalls", [firewall])
    _answer(api, "POST", "/firewalls/8/actions/remove_from_resources", 201, {"actions": [DONE]})
    _answer(api, "DELETE", "/firewalls/8", 204)
    _listing(api, "networks", [_item("networks", 3)])
    locked = {"error": {"code": "protected", "message": "network is protected"}}
    _answer(api, "DELETE", "/networks/3", 423, locked)

    report = await hz.deprovision("fleet=x")

    assert isinstance(report, FootprintReport)
    assert report.deleted["servers"] == [42]
    assert sorted(report.deleted["volumes"]) == [5, 6]  # 6 was gone already: deleted
    assert report.deleted["firewalls"] == [8]
    assert report.deleted["networks"] == []
    assert isinstance(report.failed["networks"][3], ProtectedError)
    assert not report.complete
    order = _order(api)
    position = {call: n for n, call in enumerate(order)}
    assert position[("DELETE", "/servers/42")] < position[("POST", "/volumes/5/actions/detach")]
    assert position[("POST", "/volumes/5/actions/detach")] < position[("DELETE", "/volumes/5")]
    assert (
        position[("POST", "/firewalls/8/actions/remove_from_resources")]
        < position[("DELETE", "/firewalls/8")]
    )
    last_stage = max(
        position[call] for call in order if call[0] == "DELETE" and "network" not in call[1]
    )
    assert position[("DELETE", "/networks/3")] > last_stage


async def test_deprovision_can_be_limited_to_some_kinds(
    hz: HetznerClient, api: aioresponses
) -> None:
    _listing(api, "volumes", [])
    _listing(api, "ssh_keys", [_item("ssh_keys", 11)])
    _answer(api, "DELETE", "/ssh_keys/11", 204)
    report = await hz.deprovision({"fleet": "x"}, kinds=["volumes", "ssh_keys"])
    assert report.deleted == {"volumes": [], "ssh_keys": [11]}
    assert report.complete
    assert {path.split("?")[0] for _, path in _order(api)} == {
        "/volumes",
        "/ssh_keys",
        "/ssh_keys/11",
    }


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"label_selector": ""}, "label_selector"),
        ({"label_selector": "fleet=x", "kinds": ["servers", "vms"]}, "kinds"),
        ({"label_selector": "fleet=x", "concurrency": 0}, "concurrency"),
    ],
)
async def test_deprovision_refuses_bad_input_before_sending(
    hz: HetznerClient, api: aioresponses, kwargs: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        await hz.deprovision(**kwargs)
    assert raised.value.field == field
    assert sent(api) == []
