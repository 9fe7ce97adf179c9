"""``hz.load_balancers`` beyond the wire table: adoption, targets read back, metrics, bad input."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aioresponses import CallbackResult, aioresponses

from hetzner_async import HetznerClient
from hetzner_async._convert import strict_converter, structure
from hetzner_async.errors import ValidationError
from hetzner_async.models import (
    LoadBalancer,
    LoadBalancerHealthCheck,
    LoadBalancerService,
    LoadBalancerServiceHTTP,
    LoadBalancerTarget,
    TargetHealthStatus,
)

from .._spec import response_example
from ..wire import sent
from .cases import page_of
from .cases.load_balancers import METRICS

URL = "http://127.0.0.1:9/v1/load_balancers"
CREATED = response_example("POST", "/v1/load_balancers")
START = dt.datetime(2024, 3, 1, tzinfo=dt.UTC)


def _load_balancer() -> LoadBalancer:
    return structure(strict_converter, CREATED["load_balancer"], LoadBalancer)


async def test_create_adopts_what_an_ambiguous_try_created(
    hz: HetznerClient, api: aioresponses
) -> None:
    """A 5xx answer to the create: found by name with this call's marker, adopted, not re-sent."""
    api.post(URL, status=503, payload={"error": {"code": "unavailable", "message": "busy"}})

    def listing(url: Any, **kwargs: Any) -> CallbackResult:
        _, _, _, body = sent(api)[0]
        found = {**CREATED["load_balancer"], "name": "web", "labels": body["labels"]}
        return CallbackResult(status=200, payload=page_of("load_balancers", found))

    api.get(re.compile(rf"^{URL}\?name=web.*$"), callback=listing)
    create_action = {**CREATED["action"], "id": 13}
    api.get(
        re.compile(rf"^{URL}/4711/actions\?.*$"),
        payload=page_of("actions", create_action),
    )
    result = await hz.load_balancers.create(name="web", load_balancer_type="lb11", location="fsn1")
    assert result.load_balancer.id == 4711
    assert result.action.command == "create_load_balancer"
    assert [(m, p) for m, p, _, _ in sent(api)] == [
        ("POST", "/v1/load_balancers"),
        ("GET", "/v1/load_balancers"),
        ("GET", "/v1/load_balancers/4711/actions"),
    ]


async def test_a_target_read_back_is_removed_by_what_identifies_it(
    hz: HetznerClient, api: aioresponses
) -> None:
    """Health and resolved servers are the API's to report: neither is ever sent back."""
    (target,) = _load_balancer().targets
    assert target.health_status is not None
    assert target.health_status[0].status is TargetHealthStatus.HEALTHY
    action = response_example("POST", "/v1/load_balancers/4711/actions/remove_target")
    api.post(f"{URL}/4711/actions/remove_target", status=201, payload=action)
    api.post(f"{URL}/4711/actions/add_target", status=201, payload=action)
    await hz.load_balancers.remove_target(4711, target)
    await hz.load_balancers.add_target(4711, target)
    assert [body for _, _, _, body in sent(api)] == [
        {"type": "server", "server": {"id": 80}},
        {"type": "server", "server": {"id": 80}, "use_private_ip": True},
    ]


async def test_change_dns_ptr_sends_null_to_reset(hz: HetznerClient, api: aioresponses) -> None:
    action = response_example("POST", "/v1/load_balancers/4711/actions/change_dns_ptr")
    api.post(f"{URL}/4711/actions/change_dns_ptr", status=201, payload=action)
    await hz.load_balancers.change_dns_ptr(4711, ip="1.2.3.4", dns_ptr=None)
    assert sent(api)[0][3] == {"ip": "1.2.3.4", "dns_ptr": None}


async def test_create_on_primary_ips_reads_their_ids(hz: HetznerClient, api: aioresponses) -> None:
    """Since 2026-10-05 the addresses of a load balancer on Primary IPs name them; without the
    ids (the spec's answer, or allocated addresses) they read as None."""
    answer = response_example("POST", "/v1/load_balancers")
    answer["load_balancer"]["public_net"]["ipv4"]["id"] = 42
    api.post(URL, status=201, payload=answer)
    result = await hz.load_balancers.create(
        name="web", load_balancer_type="lb11", location="fsn1", ipv4=42
    )
    (_, _, _, body) = sent(api)[0]
    assert body["public_net"] == {"ipv4": 42}
    public_net = result.load_balancer.public_net
    assert (public_net.ipv4.id, public_net.ipv6.id) == (42, None)
    assert public_net.ipv4.ip == answer["load_balancer"]["public_net"]["ipv4"]["ip"]
    assert _load_balancer().public_net.ipv4.id is None


async def test_metrics_are_typed_time_series(hz: HetznerClient, api: aioresponses) -> None:
    api.get(re.compile(rf"^{URL}/4711/metrics\?.*$"), payload=METRICS)
    start = dt.datetime(2024, 3, 1, 2, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    metrics = await hz.load_balancers.metrics(
        4711, type="requests_per_second", start=start, end=start + dt.timedelta(minutes=90)
    )
    # An offset other than UTC is sent as the same instant in UTC; no step: the API picks one.
    assert sent(api)[0][2] == [
        ("type", "requests_per_second"),
        ("start", "2024-03-01T00:00:00Z"),
        ("end", "2024-03-01T01:30:00Z"),
    ]
    assert metrics.step == 60.0
    assert metrics.time_series["requests_per_second"].points == [
        (dt.datetime(2024, 3, 1, tzinfo=dt.UTC), 12.5),
        (dt.datetime(2024, 3, 1, 0, 1, tzinfo=dt.UTC), 13.0),
    ]
    assert metrics.time_series["bandwidth.in"].values == [(1709251200.5, "1024")]


BadCall = tuple[str, Callable[[HetznerClient], Awaitable[object]]]


def _bad_calls() -> list[BadCall]:
    return [
        ("name", lambda hz: hz.load_balancers.create(name=" web", load_balancer_type="lb11")),
        (
            "location",
            lambda hz: hz.load_balancers.create(
                name="web", load_balancer_type="lb11", location="fsn1", network_zone="eu-central"
            ),
        ),
        (
            "services[1].listen_port",
            lambda hz: hz.load_balancers.create(
                name="web",
                load_balancer_type="lb11",
                services=[LoadBalancerService.for_http(), LoadBalancerService.for_tcp(80)],
            ),
        ),
        (
            "targets[0].ip.ip",
            lambda hz: hz.load_balancers.create(
                name="web", load_balancer_type="lb11", targets=[LoadBalancerTarget.for_ip("x")]
            ),
        ),
        (
            "network",
            lambda hz: hz.load_balancers.create(name="w", load_balancer_type="lb11", network=0),
        ),
        (
            "labels",
            lambda hz: hz.load_balancers.update(4711, labels={"hetzner.cloud/x": "y"}),
        ),
        (
            "service.http.certificates",
            lambda hz: hz.load_balancers.add_service(
                4711, LoadBalancerService.for_https(certificates=[])
            ),
        ),
        ("listen_port", lambda hz: hz.load_balancers.update_service(4711, 0)),
        (
            "protocol",
            lambda hz: hz.load_balancers.update_service(4711, 80, protocol="udp"),
        ),
        (
            "health_check.retries",
            lambda hz: hz.load_balancers.update_service(
                4711, 80, health_check=LoadBalancerHealthCheck.for_tcp(80, retries=9)
            ),
        ),
        (
            "http.cookie_lifetime",
            lambda hz: hz.load_balancers.update_service(
                4711, 80, http=LoadBalancerServiceHTTP(cookie_lifetime=1)
            ),
        ),
        (
            "http",
            lambda hz: hz.load_balancers.update_service(
                4711, 80, protocol="tcp", http=LoadBalancerServiceHTTP()
            ),
        ),
        ("listen_port", lambda hz: hz.load_balancers.delete_service(4711, 70000)),
        (
            "target",
            lambda hz: hz.load_balancers.add_target(4711, LoadBalancerTarget(type="server")),
        ),
        (
            "target.type",
            lambda hz: hz.load_balancers.remove_target(4711, LoadBalancerTarget(type="vm")),
        ),
        (
            "ip_range",
            lambda hz: hz.load_balancers.attach_to_network(4711, network=1, ip_range="10.0.0.1"),
        ),
        ("ip", lambda hz: hz.load_balancers.attach_to_network(4711, network=1, ip="10.0")),
        ("network", lambda hz: hz.load_balancers.detach_from_network(4711, network=-1)),
        ("type", lambda hz: hz.load_balancers.change_algorithm(4711, type="")),
        (
            "ip",
            lambda hz: hz.load_balancers.change_dns_ptr(4711, ip="lb.example.com", dns_ptr="x"),
        ),
        (
            "dns_ptr",
            lambda hz: hz.load_balancers.change_dns_ptr(4711, ip="1.2.3.4", dns_ptr=" "),
        ),
        (
            "type",
            lambda hz: hz.load_balancers.metrics(4711, type=[], start=START, end=START),
        ),
        (
            "start",
            lambda hz: hz.load_balancers.metrics(
                4711, type="bandwidth", start=dt.datetime(2024, 3, 1), end=START
            ),
        ),
        (
            "end",
            lambda hz: hz.load_balancers.metrics(4711, type="bandwidth", start=START, end=START),
        ),
        (
            "step",
            lambda hz: hz.load_balancers.metrics(
                4711,
                type="bandwidth",
                start=START,
                end=START + dt.timedelta(hours=1),
                step=0,
            ),
        ),
        ("load_balancer_id", lambda hz: hz.load_balancers.enable_public_interface(0)),
        # Primary IP IDs, checked as servers.create checks its own.
        ("ipv4", lambda hz: hz.load_balancers.create(name="w", load_balancer_type="lb11", ipv4=0)),
        (
            "ipv6",
            lambda hz: hz.load_balancers.create(
                name="w",
                load_balancer_type="lb11",
                ipv4=5,
                ipv6="6",  # type: ignore[arg-type]
            ),
        ),
        (
            "ipv4",
            lambda hz: hz.load_balancers.create(name="w", load_balancer_type="lb11", ipv4=True),
        ),
    ]


BAD_CALLS = _bad_calls()


@pytest.mark.parametrize(
    ("field", "call"), BAD_CALLS, ids=[f"{i}-{field}" for i, (field, _) in enumerate(BAD_CALLS)]
)
async def test_bad_input_is_refused_before_any_request(
    hz: HetznerClient,
    api: aioresponses,
    field: str,
    call: Callable[[HetznerClient], Awaitable[object]],
) -> None:
    with pytest.raises(ValidationError) as raised:
        await call(hz)
    assert raised.value.field == field
    assert sent(api) == []
