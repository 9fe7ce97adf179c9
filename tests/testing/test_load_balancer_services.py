"""Load balancer services: add, update, delete, their validation and limits, https certificates."""

from typing import Any

from hetzner_async.testing import ManualClock

from .conftest import Api
from .lb_helpers import TCP, create_lb, error, lb_of, managed_certificate


async def test_services_add_update_delete(api: Api, clock: ManualClock) -> None:
    lb_id = (await create_lb(api))["id"]
    path = f"/load_balancers/{lb_id}/actions"
    clock.advance(1.0)
    added = await api.post(f"{path}/add_service", {**TCP, "proxyprotocol": True})
    assert (added.status, added.body["action"]["command"]) == (201, "add_service")
    assert (await lb_of(api, lb_id))["services"][0]["proxyprotocol"] is True
    clock.advance(1.0)
    assert error(await api.post(f"{path}/add_service", TCP)) == (412, "source_port_already_used")
    health = {"protocol": "http", "port": 8080, "interval": 5, "http": {"path": "/health"}}
    updated = await api.post(
        f"{path}/update_service",
        {"listen_port": 5432, "protocol": "http", "health_check": health},
    )
    assert updated.body["action"]["command"] == "update_service"
    service = (await lb_of(api, lb_id))["services"][0]
    assert service["protocol"] == "http"
    assert service["http"]["cookie_name"] == "HCLBSTICKY"
    assert service["health_check"] == {
        "protocol": "http",
        "port": 8080,
        "interval": 5,
        "timeout": 10,
        "retries": 3,
        "http": {
            "domain": None,
            "path": "/health",
            "response": "",
            "status_codes": ["2??", "3??"],
            "tls": False,
        },
    }
    clock.advance(1.0)
    again = await api.post(
        f"{path}/update_service", {"listen_port": 5432, "health_check": {"retries": 5}}
    )
    assert again.status == 201
    assert (await lb_of(api, lb_id))["services"][0]["health_check"]["http"]["path"] == "/health"
    clock.advance(1.0)
    missing = await api.post(f"{path}/update_service", {"listen_port": 1})
    assert error(missing) == (422, "invalid_input")
    assert error(await api.post(f"{path}/delete_service", {"listen_port": 1})) == (
        422,
        "invalid_input",
    )
    deleted = await api.post(f"{path}/delete_service", {"listen_port": 5432})
    assert deleted.body["action"]["command"] == "delete_service"
    assert (await lb_of(api, lb_id))["services"] == []


async def test_service_validation(api: Api, clock: ManualClock) -> None:
    lb_id = (await create_lb(api))["id"]
    clock.advance(1.0)
    path = f"/load_balancers/{lb_id}/actions/add_service"
    cases: list[tuple[dict[str, Any], str]] = [
        ({"protocol": "udp"}, "protocol"),
        ({**TCP, "listen_port": 70000}, "listen_port"),
        ({**TCP, "health_check": {"interval": 2}}, "health_check.interval"),
        ({**TCP, "health_check": {"retries": 6}}, "health_check.retries"),
        ({**TCP, "health_check": {"http": {"path": "/"}}}, "health_check.http"),
        (
            {**TCP, "health_check": {"protocol": "http", "http": {"path": "/a b"}}},
            "health_check.http.path",
        ),
        (
            {**TCP, "health_check": {"protocol": "http", "http": {"domain": "a%b"}}},
            "health_check.http.domain",
        ),
        ({**TCP, "http": {"sticky_sessions": True}}, "http"),
        ({"protocol": "http", "http": {"cookie_lifetime": 10}}, "http.cookie_lifetime"),
        ({"protocol": "http", "http": {"certificates": [1]}}, "http.certificates"),
        ({"protocol": "http", "http": {"redirect_http": True}}, "http.redirect_http"),
    ]
    for body, field in cases:
        reply = await api.post(path, body)
        assert error(reply) == (422, "invalid_input"), body
        assert reply.body["error"]["details"]["fields"][0]["name"] == field, body
    assert (await lb_of(api, lb_id))["services"] == []


async def test_service_limit_and_redirect_port(api: Api, clock: ManualClock) -> None:
    services = [{**TCP, "listen_port": p, "destination_port": p} for p in range(1, 6)]
    lb_id = (await create_lb(api, services=services))["id"]
    clock.advance(1.0)
    path = f"/load_balancers/{lb_id}/actions"
    full = await api.post(f"{path}/add_service", {"protocol": "http"})
    assert error(full) == (403, "resource_limit_exceeded")
    assert full.body["error"]["details"] == {"limits": [{"name": "services"}]}
    # An https service that redirects http also takes port 80.
    big = await create_lb(api, "big", load_balancer_type="lb21", services=[{"protocol": "http"}])
    cert = await managed_certificate(api)
    https = {"protocol": "https", "http": {"certificates": [cert], "redirect_http": True}}
    clock.advance(1.0)
    taken = await api.post(f"/load_balancers/{big['id']}/actions/add_service", https)
    assert error(taken) == (412, "source_port_already_used")
    https["listen_port"] = 8443
    https["http"]["redirect_http"] = False
    assert (await api.post(f"/load_balancers/{big['id']}/actions/add_service", https)).status == 201
    clock.advance(1.0)
    redirect = await api.post(
        f"/load_balancers/{big['id']}/actions/update_service",
        {"listen_port": 8443, "http": {"redirect_http": True}},
    )
    assert error(redirect) == (422, "source_port_already_used")


async def test_https_services_use_certificates(api: Api, clock: ManualClock) -> None:
    cert = await managed_certificate(api)
    https = {"protocol": "https", "http": {"certificates": [cert]}}
    lb = await create_lb(api, services=[https])
    service = lb["services"][0]
    assert (service["listen_port"], service["destination_port"]) == (443, 80)
    assert service["http"]["certificates"] == [cert]
    used_by = (await api.get(f"/certificates/{cert}")).body["certificate"]["used_by"]
    assert used_by == [{"id": lb["id"], "type": "load_balancer"}]
    clock.advance(1.0)
    assert error(await api.delete(f"/certificates/{cert}")) == (422, "service_error")
    path = f"/load_balancers/{lb['id']}/actions"
    unknown = await api.post(
        f"{path}/add_service", {**https, "listen_port": 8443, "http": {"certificates": [999]}}
    )
    assert error(unknown) == (422, "invalid_input")
    extra = [await managed_certificate(api, f"c{n}") for n in range(10)]
    too_many = await api.post(
        f"{path}/add_service", {**https, "listen_port": 8443, "http": {"certificates": extra}}
    )
    assert error(too_many) == (403, "resource_limit_exceeded")  # lb11: 10 certificates
    swapped = await api.post(
        f"{path}/update_service", {"listen_port": 443, "http": {"certificates": extra[:1]}}
    )
    assert swapped.status == 201
    assert (await api.get(f"/certificates/{cert}")).body["certificate"]["used_by"] == []
    used = (await api.get(f"/certificates/{extra[0]}")).body["certificate"]["used_by"]
    assert used == [{"id": lb["id"], "type": "load_balancer"}]
    assert (await api.delete(f"/certificates/{cert}")).status == 204
    clock.advance(1.0)
    await api.post(f"{path}/update_service", {"listen_port": 443, "protocol": "http"})
    clock.advance(1.0)
    assert (await lb_of(api, lb["id"]))["services"][0]["http"]["certificates"] == []
    assert (await api.get(f"/certificates/{extra[0]}")).body["certificate"]["used_by"] == []
    bare = await api.post(f"{path}/update_service", {"listen_port": 443, "protocol": "https"})
    assert error(bare) == (422, "invalid_input")
    with_cert = {"protocol": "https", "listen_port": 9443, "http": {"certificates": extra[1:2]}}
    await api.post(f"{path}/add_service", with_cert)
    clock.advance(1.0)
    deleted = await api.delete(f"/load_balancers/{lb['id']}")
    # Tracked by an action since 2026-10-05, as hcloud-python 2.27 and hcloud-go 2.52 expect.
    assert deleted.status == 200
    assert deleted.body["action"]["command"] == "delete_load_balancer"
    assert (await api.get(f"/certificates/{extra[1]}")).body["certificate"]["used_by"] == []
