"""The SDK against the fake: load balancers on existing Primary IPs (2026-10-05), and
deprovisioning them, load balancers before the Primary IPs they hold."""

from __future__ import annotations

from hetzner_async import HetznerClient
from hetzner_async.errors import APIError
from hetzner_async.models import PrimaryIP
from hetzner_async.testing import FakeHetznerCloud


async def primary_ip(hz: HetznerClient, name: str, type: str, **options: object) -> PrimaryIP:
    created = await hz.primary_ips.create(name=name, type=type, location="fsn1", **options)  # type: ignore[arg-type]
    return created.primary_ip


async def test_a_load_balancer_on_its_own_addresses(hz: HetznerClient) -> None:
    """The addresses the load balancer shows are the Primary IPs it was created on."""
    v4 = await primary_ip(hz, "v4", "ipv4")
    v6 = await primary_ip(hz, "v6", "ipv6")
    created = await hz.load_balancers.create(
        name="front", load_balancer_type="lb11", location="fsn1", ipv4=v4.id, ipv6=v6.id
    )
    await hz.actions.wait(created.action)
    lb = await hz.load_balancers.get(created.load_balancer.id)
    assert (lb.public_net.ipv4.id, lb.public_net.ipv4.ip) == (v4.id, v4.ip)
    assert lb.public_net.ipv6.id == v6.id
    assert lb.public_net.ipv6.ip == v6.ip.removesuffix("/64") + "1"
    held = await hz.primary_ips.get(v4.id)
    assert (held.assignee_type, held.assignee_id) == ("load_balancer", lb.id)
    plain = await hz.load_balancers.create(name="plain", load_balancer_type="lb11", location="fsn1")
    assert (plain.load_balancer.public_net.ipv4.id, plain.load_balancer.public_net.ipv6.id) == (
        None,
        None,
    )


async def test_deprovision_removes_the_load_balancer_then_its_primary_ips(
    hz: HetznerClient, fake: FakeHetznerCloud
) -> None:
    """Load balancers go in the first stage, Primary IPs in the next: by then the one with
    ``auto_delete`` went with its load balancer and the other is free to delete. Primary IPs
    alone cannot be removed while the load balancer holds them."""
    run = {"run": "lbpip"}
    kept = await primary_ip(hz, "kept", "ipv4", labels=run, auto_delete=False)
    gone = await primary_ip(hz, "gone", "ipv6", labels=run, auto_delete=True)
    other = await primary_ip(hz, "other", "ipv4")
    created = await hz.load_balancers.create(
        name="front",
        load_balancer_type="lb11",
        location="fsn1",
        ipv4=kept.id,
        ipv6=gone.id,
        labels=run,
    )
    await hz.actions.wait(created.action)

    early = await hz.deprovision("run=lbpip", kinds=["primary_ips"])
    assert sorted(early.failed["primary_ips"]) == sorted([kept.id, gone.id])
    codes = {e.code for e in early.failed["primary_ips"].values() if isinstance(e, APIError)}
    assert codes == {"unsupported_error"}

    report = await hz.deprovision("run=lbpip")
    assert report.complete, report.failed
    assert report.deleted["load_balancers"] == [created.load_balancer.id]
    # The auto_delete IP was gone with the load balancer before Primary IPs were listed.
    assert report.deleted["primary_ips"] == [kept.id]
    state = fake.sync()
    assert state.load_balancers == {}
    assert list(state.primary_ips) == [other.id]
