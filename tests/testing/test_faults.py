"""Injected faults: each kind, one-shot/times/probability, counters, drop before/after commit."""

import asyncio
import json

import aiohttp
import pytest

from hetzner_async.testing import FakeHetznerCloud, Fault, FaultKind

from .conftest import Api

SERVER = {"name": "web", "server_type": "cx22", "image": "debian-12"}


async def test_error_with_envelope_is_one_shot(api: Api, fake: FakeHetznerCloud) -> None:
    fake.add_fault(kind="error", method="POST", path="/servers", status=503, code="unavailable")
    failed = await api.post("/servers", SERVER)
    assert failed.status == 503
    assert failed.body["error"]["code"] == "unavailable"
    assert "RateLimit-Remaining" in failed.headers
    assert fake.state.servers == {}
    assert (await api.post("/servers", SERVER)).status == 201
    assert fake.stats.faults["error"] == 1


async def test_error_without_envelope_is_plain_html(api: Api, fake: FakeHetznerCloud) -> None:
    fake.add_fault(Fault(FaultKind.ERROR, status=502, envelope=False, times=2))
    for _ in range(2):
        reply = await api.get("/servers")
        assert reply.status == 502
        assert "<h1>502 Bad Gateway</h1>" in reply.body
        assert reply.headers["Content-Type"].startswith("text/html")
    assert (await api.get("/servers")).status == 200
    assert fake.stats.faults["error"] == 2
    assert fake.stats.count(path="/servers", status=502) == 2


async def test_route_matching_uses_templates(api: Api, fake: FakeHetznerCloud) -> None:
    sid = (await api.post("/servers", SERVER)).body["server"]["id"]
    fake.add_fault(
        kind="error", method="GET", path="/servers/{id}", status=500, code="server_error"
    )
    assert (await api.get("/servers")).status == 200  # another route: untouched
    assert (await api.get(f"/servers/{sid}")).status == 500


async def test_drop_before_commit_changes_nothing(api: Api, fake: FakeHetznerCloud) -> None:
    fake.add_fault(kind="drop_before", method="POST", path="/servers")
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await api.post("/servers", SERVER)
    assert fake.state.servers == {}
    assert fake.stats.faults["drop_before"] == 1


async def test_drop_after_commit_keeps_the_change(api: Api, fake: FakeHetznerCloud) -> None:
    fake.add_fault(kind="drop_after", method="POST", path="/servers")
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await api.post("/servers", SERVER)
    assert [s["name"] for s in fake.state.servers.values()] == ["web"]
    retry = await api.post("/servers", SERVER)
    assert retry.status == 409  # what a blind retry of a POST runs into


async def test_latency_global_and_per_route(api: Api, fake: FakeHetznerCloud) -> None:
    fake.add_fault(kind="latency", path="/locations", delay=0.15, times=None)
    loop = asyncio.get_running_loop()
    start = loop.time()
    await api.get("/locations")
    assert loop.time() - start >= 0.15
    await api.get("/server_types")
    # The other route was not delayed: the fault fired once (a wall-time bound would depend
    # on how loaded the machine is).
    assert fake.stats.faults["latency"] == 1


async def test_random_latency_range(api: Api, fake: FakeHetznerCloud) -> None:
    # The drawn delays stay in the range (checked where they are drawn: an upper bound on wall
    # time would depend on how loaded the machine is), and each request waits at least the low.
    fault = fake.add_fault(kind="latency", delay=0.02, delay_max=0.06, times=3)
    drawn = [fake.faults.delay_of(fault) for _ in range(200)]
    assert all(0.02 <= delay <= 0.06 for delay in drawn)
    assert max(drawn) - min(drawn) > 0.02  # spread over the range, not a constant
    loop = asyncio.get_running_loop()
    for _ in range(3):
        start = loop.time()
        await api.get("/isos")
        assert loop.time() - start >= 0.02


async def test_hang_until_client_timeout(api: Api, fake: FakeHetznerCloud) -> None:
    fake.add_fault(kind="hang", method="GET", path="/servers")
    with pytest.raises(asyncio.TimeoutError):
        await api.get("/servers", timeout=0.2)
    assert (await api.get("/servers")).status == 200


async def test_hang_with_delay_then_disconnect(api: Api, fake: FakeHetznerCloud) -> None:
    # A POST: aiohttp's client silently re-sends an idempotent GET once after a disconnect.
    fake.add_fault(kind="hang", delay=0.05)
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await api.post("/servers", SERVER)
    assert fake.state.servers == {}


async def test_slow_body(api: Api, fake: FakeHetznerCloud) -> None:
    fake.add_fault(kind="slow", path="/server_types", delay=0.2)
    loop = asyncio.get_running_loop()
    start = loop.time()
    reply = await api.get("/server_types")
    assert loop.time() - start >= 0.2
    assert reply.status == 200
    assert reply.body["server_types"]
    fake.add_fault(kind="slow", path="/server_types", delay=1.0)
    with pytest.raises(asyncio.TimeoutError):
        await api.get("/server_types", timeout=0.2)


async def test_truncated_body(api: Api, fake: FakeHetznerCloud) -> None:
    fake.add_fault(kind="truncate", method="POST", path="/servers")
    with pytest.raises(aiohttp.ClientPayloadError):
        await api.post("/servers", SERVER)
    assert len(fake.state.servers) == 1  # committed before the body broke


async def test_malformed_body(api: Api, fake: FakeHetznerCloud) -> None:
    fake.add_fault(kind="malformed", method="GET", path="/servers")
    async with api.session.get(
        fake.url + "/servers", headers={"Authorization": f"Bearer {fake.token}"}
    ) as resp:
        assert resp.status == 200
        with pytest.raises(json.JSONDecodeError):
            await resp.json()


async def test_probability_is_seeded_and_counted(api: Api, fake: FakeHetznerCloud) -> None:
    fault = fake.add_fault(
        kind="error", path="/isos", probability=0.5, times=None, status=500, code="server_error"
    )
    statuses = [(await api.get("/isos")).status for _ in range(40)]
    hits = statuses.count(500)
    assert 5 < hits < 35
    assert fault.hits == hits == fake.stats.faults["error"]
    # the same seed gives the same sequence
    async with FakeHetznerCloud() as other, aiohttp.ClientSession() as session:
        other.add_fault(
            kind="error", path="/isos", probability=0.5, times=None, status=500, code="server_error"
        )
        again = []
        for _ in range(40):
            async with session.get(
                other.url + "/isos", headers={"Authorization": f"Bearer {other.token}"}
            ) as resp:
                again.append(resp.status)
    assert again == statuses


async def test_fault_validation_and_clear(fake: FakeHetznerCloud) -> None:
    with pytest.raises(ValueError, match="probability"):
        Fault(FaultKind.ERROR, probability=2.0)
    with pytest.raises(ValueError, match="times"):
        Fault(FaultKind.ERROR, times=0)
    with pytest.raises(ValueError, match="explode"):
        Fault("explode")  # type: ignore[arg-type]
    fake.add_fault(kind="latency", times=None)
    fake.clear_faults()
    assert fake.faults.faults == []
