"""What the load balancer tests share: services, creating and reading one, targets, an error."""

from typing import Any

from hetzner_async.testing import ManualClock

from .conftest import Api, Reply

TCP = {"protocol": "tcp", "listen_port": 5432, "destination_port": 5432}
HTTP = {"protocol": "http", "listen_port": 80, "destination_port": 8080}


async def create_lb(api: Api, name: str = "lb", **fields: Any) -> dict[str, Any]:
    body = {"name": name, "load_balancer_type": "lb11", "location": "fsn1", **fields}
    reply = await api.post("/load_balancers", body)
    assert reply.status == 201, reply.body
    lb: dict[str, Any] = reply.body["load_balancer"]
    return lb


async def lb_of(api: Api, lb_id: int) -> dict[str, Any]:
    reply = await api.get(f"/load_balancers/{lb_id}")
    assert reply.status == 200, reply.body
    lb: dict[str, Any] = reply.body["load_balancer"]
    return lb


def error(reply: Reply) -> tuple[int, str]:
    return reply.status, reply.body["error"]["code"]


async def managed_certificate(api: Api, name: str = "le") -> int:
    body = {"name": name, "type": "managed", "domain_names": [f"{name}.example.com"]}
    reply = await api.post("/certificates", body)
    assert reply.status == 201, reply.body
    cid: int = reply.body["certificate"]["id"]
    return cid


def server_target(sid: int, **extra: Any) -> dict[str, Any]:
    return {"type": "server", "server": {"id": sid}, **extra}


async def running(api: Api, clock: ManualClock, name: str, **fields: Any) -> int:
    sid: int = (await api.create_server(name, **fields)).body["server"]["id"]
    clock.advance(2.0)
    return sid


async def ready_lb(api: Api, clock: ManualClock, **fields: Any) -> int:
    lb_id: int = (await create_lb(api, **{"services": [TCP, HTTP], **fields}))["id"]
    clock.advance(1.0)
    return lb_id


def health(target: dict[str, Any]) -> dict[int, str]:
    return {h["listen_port"]: h["status"] for h in target["health_status"]}
