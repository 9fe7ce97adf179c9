"""Create an SSH key, a firewall and a server, list it by label, then delete everything.

Runs against the API named by HCLOUD_ENDPOINT with the token in HCLOUD_TOKEN. It creates billable
resources when pointed at the real API, so it refuses to run there without --real.
"""

from __future__ import annotations

import argparse
import asyncio
import os

from hetzner_async import DEFAULT_ENDPOINT, HetznerClient
from hetzner_async.models import FirewallRule

PUBLIC_KEY = (
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGbYJ3Lm1m5k6ZTnJ3y0mS2fWJcKuU8bbTgW4mSgA0hX ops@example"
)
CLOUD_INIT = "#cloud-config\nruncmd:\n- [touch, /root/provisioned]\n"


async def main(real: bool) -> None:
    """Run the whole life cycle once."""
    endpoint = os.environ.get("HCLOUD_ENDPOINT", DEFAULT_ENDPOINT)
    if endpoint == DEFAULT_ENDPOINT and not real:
        raise SystemExit("this would create billable resources on the real API; pass --real")
    async with HetznerClient(application="quickstart/1.0") as hz:
        key = await hz.ssh_keys.create(name="ops", public_key=PUBLIC_KEY, labels={"team": "ops"})
        https = FirewallRule(
            direction="in", protocol="tcp", port="443", source_ips=["0.0.0.0/0", "::/0"]
        )
        firewall = (await hz.firewalls.create(name="web", rules=[https])).firewall
        created = await hz.servers.create(
            name="web-1",
            server_type="cx22",
            image="debian-12",
            location="fsn1",
            ssh_keys=[key.id],
            firewalls=[firewall.id],
            labels={"role": "web"},
            user_data=CLOUD_INIT,
        )
        await hz.actions.wait(created.action, *created.next_actions)
        async for server in hz.servers.iter(label_selector="role=web"):
            print(f"{server.name}: {server.status}")
        await hz.actions.wait(await hz.servers.delete(created.server.id))
        await hz.firewalls.delete(firewall.id)
        await hz.ssh_keys.delete(key.id)
        if hz.rate_limit:
            print(f"budget left: {hz.rate_limit.remaining}/{hz.rate_limit.limit}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--real", action="store_true", help="allow the real Hetzner Cloud API")
    asyncio.run(main(parser.parse_args().real))
