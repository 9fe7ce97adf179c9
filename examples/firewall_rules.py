"""Manage a firewall: create it with rules, apply it by label, add and remove rules, clean up.

Run it with ``python examples/firewall_rules.py``: it starts the fake Hetzner Cloud in this
process, so it needs no token and creates nothing billable.

What it shows:

- ``FirewallRule``: ports only for tcp/udp, ``source_ips`` on ``in`` rules, CIDRs checked before
  any request;
- applying a firewall to a label selector (``role=web``), so servers created later with that
  label get it too (``server.public_net.firewalls``);
- ``set_rules`` replaces *all* rules, so adding or removing one is read, change, write;
- the order of clean-up: a firewall that still applies to something cannot be deleted.
"""

from __future__ import annotations

import asyncio

from hetzner_async import HetznerClient, PollPolicy
from hetzner_async.models import Firewall, FirewallResource, FirewallRule
from hetzner_async.testing import FakeConfig, FakeHetznerCloud

ANYWHERE = ["0.0.0.0/0", "::/0"]
OFFICE = ["203.0.113.0/24", "2001:db8::/32"]

SSH = FirewallRule(
    direction="in", protocol="tcp", port="22", source_ips=OFFICE, description="ssh from the office"
)
HTTPS = FirewallRule(
    direction="in", protocol="tcp", port="443", source_ips=ANYWHERE, description="https"
)
PING = FirewallRule(direction="in", protocol="icmp", source_ips=ANYWHERE, description="ping")
METRICS = FirewallRule(
    direction="in",
    protocol="tcp",
    port="9100-9101",
    source_ips=["10.0.0.0/8"],
    description="node exporter",
)


def show(firewall: Firewall) -> None:
    """Print a firewall's rules, one a line."""
    print(f"firewall {firewall.name} has {len(firewall.rules)} rules:")
    for rule in firewall.rules:
        sources = ", ".join(rule.source_ips or rule.destination_ips)
        target = f"{rule.protocol} {rule.port}" if rule.port else rule.protocol
        print(f"  {rule.direction:<3} {target:<14} from {sources}  # {rule.description}")


async def add_rule(hz: HetznerClient, firewall_id: int, rule: FirewallRule) -> Firewall:
    """Add one rule: ``set_rules`` replaces them all, so send the current ones plus the new."""
    current = await hz.firewalls.get(firewall_id)
    if rule not in current.rules:
        await hz.actions.wait(*await hz.firewalls.set_rules(firewall_id, [*current.rules, rule]))
    return await hz.firewalls.get(firewall_id)


async def remove_rule(hz: HetznerClient, firewall_id: int, description: str) -> Firewall:
    """Remove the rules with this description."""
    current = await hz.firewalls.get(firewall_id)
    kept = [rule for rule in current.rules if rule.description != description]
    await hz.actions.wait(*await hz.firewalls.set_rules(firewall_id, kept))
    return await hz.firewalls.get(firewall_id)


async def manage(hz: HetznerClient) -> Firewall:
    """Run the whole life cycle of one firewall; return it as it was before deletion."""
    web = FirewallResource.for_label_selector("role=web")
    created = await hz.firewalls.create(name="web", rules=[SSH, HTTPS], apply_to=[web])
    firewall = created.firewall
    await hz.actions.wait(*created.actions)
    show(firewall)

    # A server created later with the label gets the firewall, without naming it.
    server = await hz.servers.create_and_wait(
        name="web-1", server_type="cx22", image="debian-12", labels={"role": "web"}
    )
    print(f"{server.name} is behind firewalls {[f.id for f in server.public_net.firewalls or []]}")

    firewall = await add_rule(hz, firewall.id, PING)
    firewall = await add_rule(hz, firewall.id, METRICS)
    show(firewall)
    firewall = await remove_rule(hz, firewall.id, "ssh from the office")
    show(firewall)

    # Clean up in order: the server, then what the firewall applies to, then the firewall.
    await hz.actions.wait(await hz.servers.delete(server.id))
    await hz.actions.wait(*await hz.firewalls.remove_from_resources(firewall.id, [web]))
    await hz.firewalls.delete(firewall.id)
    print(f"firewall {firewall.name} deleted")
    return firewall


async def main(config: FakeConfig | None = None) -> Firewall:
    """Run the example against a fake started here (``config`` tunes it)."""
    config = config or FakeConfig(action_duration=0.3, latency=0.02)
    poll = PollPolicy(initial=min(0.5, config.action_duration / 2 or 0.01))
    async with (
        FakeHetznerCloud(config) as fake,
        HetznerClient(fake.token, endpoint=fake.url, poll=poll) as hz,
    ):
        return await manage(hz)


if __name__ == "__main__":
    asyncio.run(main())
