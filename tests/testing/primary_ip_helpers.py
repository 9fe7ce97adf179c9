"""What the primary IP tests share: a server that is off, creating and reading an IP, public_net."""

from typing import Any

from hetzner_async.testing import ManualClock

from .conftest import Api


async def off_server(api: Api, clock: ManualClock, name: str, **fields: Any) -> int:
    """A server that is off once its create action has ended."""
    reply = await api.create_server(name, start_after_create=False, **fields)
    clock.advance(1.0)
    sid: int = reply.body["server"]["id"]
    return sid


async def create_ip(api: Api, name: str, ip_type: str = "ipv4", **fields: Any) -> dict[str, Any]:
    body = {"name": name, "type": ip_type, "assignee_type": "server", **fields}
    if "assignee_id" not in fields and "datacenter" not in fields:
        body.setdefault("location", "fsn1")
    reply = await api.post("/primary_ips", body)
    assert reply.status == 201, reply.body
    return reply.body  # type: ignore[no-any-return]


async def ip_of(api: Api, ip_id: int) -> dict[str, Any]:
    return (await api.get(f"/primary_ips/{ip_id}")).body["primary_ip"]  # type: ignore[no-any-return]


async def public_net(api: Api, sid: int) -> dict[str, Any]:
    return (await api.get(f"/servers/{sid}")).body["server"]["public_net"]  # type: ignore[no-any-return]
