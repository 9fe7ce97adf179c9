"""Behaviour of the network, image and server-image methods beyond their wire shape."""

from __future__ import annotations

import copy
import datetime as dt
import re
from typing import Any

import pytest
from aioresponses import aioresponses

from hetzner_async import HetznerClient
from hetzner_async.errors import AmbiguousOutcomeError, APITimeoutError, ValidationError
from hetzner_async.models import MetricsPoint, NetworkRoute, NewSubnet
from hetzner_async.resources._base import CREATE_MARKER

from .._spec import response_example, validate_request
from .._synth import synthesized
from ..examples import example
from ..wire import sent
from .cases import page_of

BASE = r"^http://127\.0\.0\.1:9/v1"


def _image(image_id: int, architecture: str) -> dict[str, Any]:
    image = copy.deepcopy(synthesized("GET", "/images/1")["image"])
    image.update(id=image_id, architecture=architecture, name="ubuntu-24.04", type="system")
    return image


def _images(*images: dict[str, Any]) -> dict[str, Any]:
    """Return one last page of images (possibly none)."""
    return {**page_of("images", {}), "images": list(images)}


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": "", "ip_range": "10.0.0.0/16"}, "name"),
        ({"name": "n", "ip_range": "10.0.0.0/25"}, "ip_range"),
        ({"name": "n", "ip_range": "100.64.0.0/16"}, "ip_range"),
        (
            {
                "name": "n",
                "ip_range": "10.0.0.0/16",
                "subnets": [
                    NewSubnet(type="cloud", network_zone="eu-central", ip_range="10.1.0.0/24")
                ],
            },
            "subnets[0].ip_range",
        ),
        (
            {
                "name": "n",
                "ip_range": "10.0.0.0/16",
                "subnets": [
                    NewSubnet(type="cloud", network_zone="eu-central", ip_range="10.0.1.0/24")
                ],
                "routes": [NetworkRoute("10.0.1.0/25", "10.0.2.2")],
            },
            "routes[0].destination",
        ),
        ({"name": "n", "ip_range": "10.0.0.0/16", "labels": {"hetzner.cloud/x": "y"}}, "labels"),
    ],
)
async def test_network_create_refuses_bad_input_before_sending(
    hz: HetznerClient, api: aioresponses, kwargs: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        await hz.networks.create(**kwargs)
    assert raised.value.field == field
    assert sent(api) == []


@pytest.mark.parametrize(
    ("call", "kwargs", "field"),
    [
        ("add_subnet", {"type": "vswitch", "network_zone": "eu-central"}, "subnet.vswitch_id"),
        ("delete_subnet", {"ip_range": "10.0.1.0"}, "ip_range"),
        ("add_route", {"destination": "0.0.0.0/0", "gateway": "172.31.1.1"}, "route.gateway"),
        ("delete_route", {"destination": "1.0.0.0/8", "gateway": "10.0.0.2"}, "route.destination"),
        ("change_ip_range", {"ip_range": "10.0.0.0/28"}, "ip_range"),
    ],
)
async def test_network_actions_refuse_bad_input_before_sending(
    hz: HetznerClient, api: aioresponses, call: str, kwargs: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        await getattr(hz.networks, call)(4711, **kwargs)
    assert raised.value.field == field
    assert sent(api) == []


async def test_image_by_name_refuses_to_guess_the_architecture(
    hz: HetznerClient, api: aioresponses
) -> None:
    """The same system image name exists for x86 and arm: the caller must say which."""
    api.get(re.compile(BASE + r"/images\?.*$"), payload=_images(_image(1, "x86"), _image(2, "arm")))
    with pytest.raises(ValidationError) as raised:
        await hz.images.get_by_name("ubuntu-24.04")
    assert raised.value.field == "architecture"
    assert "arm and x86" in str(raised.value)


async def test_image_by_name_returns_the_one_match_or_none(
    hz: HetznerClient, api: aioresponses
) -> None:
    url = re.compile(BASE + r"/images\?.*$")
    api.get(url, payload=_images(_image(2, "arm")))
    api.get(url, payload=_images())
    found = await hz.images.get_by_name("ubuntu-24.04")
    assert found is not None
    assert (found.id, found.architecture) == (2, "arm")
    assert await hz.images.get_by_name("nope", architecture="x86") is None
    assert [query for *_, query, _ in sent(api)][1][:2] == [
        ("name", "nope"),
        ("architecture", "x86"),
    ]


@pytest.mark.parametrize(
    ("call", "kwargs", "field"),
    [
        ("update", {"type": "backup"}, "type"),
        ("list", {"architecture": "riscv"}, "architecture"),
        ("list", {"bound_to": [0]}, "bound_to"),
    ],
)
async def test_image_calls_refuse_bad_input(
    hz: HetznerClient, api: aioresponses, call: str, kwargs: dict[str, Any], field: str
) -> None:
    args = (4711,) if call == "update" else ()
    with pytest.raises(ValidationError) as raised:
        await getattr(hz.images, call)(*args, **kwargs)
    assert raised.value.field == field
    assert sent(api) == []


def _create_image_action(image_id: int) -> dict[str, Any]:
    action = copy.deepcopy(response_example("POST", "/servers/42/actions/create_image")["action"])
    action["resources"] = [{"id": 42, "type": "server"}, {"id": image_id, "type": "image"}]
    return action


async def test_create_image_adopts_the_image_an_ambiguous_try_made(
    hz: HetznerClient, api: aioresponses
) -> None:
    """A 500 after the image was made: the image is found by its marker, not made twice."""
    api.post(
        re.compile(BASE + r"/servers/42/actions/create_image$"),
        status=500,
        payload={"error": {"code": "server_error", "message": "boom"}},
    )
    image = _image(4711, "x86") | {"type": "snapshot", "name": None}
    api.get(re.compile(BASE + r"/images\?.*$"), payload=_images(image))
    other = _create_image_action(999)
    mine = _create_image_action(4711)
    api.get(
        re.compile(BASE + r"/servers/42/actions\?.*$"),
        payload={"actions": [other, mine], "meta": page_of("x", {})["meta"]},
    )
    result = await hz.servers.create_image(42, description="golden")
    assert (result.image.id, result.action.id) == (4711, mine["id"])
    requests = sent(api)
    assert [(method, path) for method, path, *_ in requests] == [
        ("POST", "/v1/servers/42/actions/create_image"),
        ("GET", "/v1/images"),
        ("GET", "/v1/servers/42/actions"),
    ]
    marker = requests[0][3]["labels"][CREATE_MARKER]
    assert requests[1][2][0] == ("label_selector", f"{CREATE_MARKER}={marker}")


async def test_create_image_sends_again_when_the_ambiguous_try_made_nothing(
    hz: HetznerClient, api: aioresponses
) -> None:
    url = re.compile(BASE + r"/servers/42/actions/create_image$")
    api.post(url, exception=TimeoutError())
    api.post(url, status=201, payload=response_example("POST", "/servers/42/actions/create_image"))
    api.get(re.compile(BASE + r"/images\?.*$"), payload=_images())
    result = await hz.servers.create_image(42)
    assert result.image.id == 4711
    posts = [body for method, _, _, body in sent(api) if method == "POST"]
    assert len(posts) == 2
    assert posts[0] == posts[1]  # the same marker both times


async def test_create_image_without_adoption_raises_after_all_tries(
    hz: HetznerClient, api: aioresponses
) -> None:
    api.post(
        re.compile(BASE + r"/servers/42/actions/create_image$"),
        exception=TimeoutError(),
        repeat=True,
    )
    api.get(re.compile(BASE + r"/images\?.*$"), payload=_images(), repeat=True)
    # Every look-up proved nothing was made: the real failure, not "ambiguous".
    with pytest.raises(APITimeoutError) as raised:
        await hz.servers.create_image(42, type="snapshot")
    assert not isinstance(raised.value, AmbiguousOutcomeError)


async def test_change_dns_ptr_sends_null_to_reset(hz: HetznerClient, api: aioresponses) -> None:
    path = "/servers/42/actions/change_dns_ptr"
    api.post(re.compile(BASE + path + "$"), status=201, payload=response_example("POST", path))
    await hz.servers.change_dns_ptr(42, ip="2001:db8::1", dns_ptr=None)
    assert sent(api)[0][3] == {"ip": "2001:db8::1", "dns_ptr": None}


@pytest.mark.parametrize(
    ("call", "kwargs", "field"),
    [
        ("attach_to_network", {"network": 4711, "ip": "10.0.2.5", "ip_range": "10.0.1.0/24"}, "ip"),
        ("attach_to_network", {"network": 4711, "ip": "2001:db8::1"}, "ip"),
        ("attach_to_network", {"network": 0}, "network"),
        ("change_alias_ips", {"network": 4711, "alias_ips": "10.0.1.6"}, "alias_ips"),
        ("change_dns_ptr", {"ip": "server01", "dns_ptr": "x.example.com"}, "ip"),
        ("add_to_placement_group", {"placement_group": "spread"}, "placement_group"),
        ("create_image", {"type": "iso"}, "type"),
        (
            "create",
            {"name": "a", "server_type": "cx22", "image": "x", "ipv4": 7, "enable_ipv4": False},
            "ipv4",
        ),
        (
            "create",
            {"name": "a", "server_type": "cx22", "image": "x", "location": "fsn1", "datacenter": 4},
            "datacenter",
        ),
    ],
)
async def test_server_calls_refuse_bad_input_before_sending(
    hz: HetznerClient, api: aioresponses, call: str, kwargs: dict[str, Any], field: str
) -> None:
    args = () if call == "create" else (42,)
    with pytest.raises(ValidationError) as raised:
        await getattr(hz.servers, call)(*args, **kwargs)
    assert raised.value.field == field
    assert sent(api) == []


async def test_metrics_read_as_typed_points(hz: HetznerClient, api: aioresponses) -> None:
    body = synthesized("GET", "/servers/42/metrics")
    body["metrics"]["time_series"] = {
        "cpu": {"values": [[1714521600, "12.5"], [1714521660.5, "0.25"]]}
    }
    api.get(re.compile(BASE + r"/servers/42/metrics\?.*$"), payload=body)
    start = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
    metrics = await hz.servers.metrics(
        42, type="cpu", start=start, end=start + dt.timedelta(hours=1)
    )
    assert metrics.step == 60
    assert metrics.time_series["cpu"].points == [
        MetricsPoint(start, 12.5),
        MetricsPoint(start + dt.timedelta(seconds=60.5), 0.25),
    ]


async def test_create_with_the_deprecated_datacenter_warns_and_sends_it(
    hz: HetznerClient, api: aioresponses
) -> None:
    """The API documents ``datacenter`` until 1 July 2026: it goes out, with a warning."""
    api.post(re.compile(BASE + r"/servers$"), status=201, payload=example("create_server_response"))
    with pytest.warns(DeprecationWarning, match="location="):
        await hz.servers.create(name="a", server_type="cx22", image="x", datacenter=4)
    body = sent(api)[0][3]
    assert body["datacenter"] == "4"
    assert "location" not in body
    validate_request("POST", "/v1/servers", body)
