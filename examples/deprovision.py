"""Delete every server that matches a label selector, and report what could not be deleted.

Run it with ``python examples/deprovision.py ["env=staging"] [--dry-run]``: it starts the fake
Hetzner Cloud in this process and fills it with a few servers first, so it needs no token.

What it shows: ``hz.servers.list(label_selector=...)`` to preview, then
``hz.servers.deprovision(selector)``, which deletes the matching servers concurrently, waits
until they are gone, and returns a report instead of stopping at the first error: here one
staging server is protected against deletion and shows up in ``report.failed``. Selectors follow
the API: ``env=staging``, ``env!=production``, ``role in (web,worker)``, ``!temporary``, joined
by commas; a mapping such as ``{"env": "staging"}`` works too.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence

from hetzner_async import HetznerClient, PollPolicy
from hetzner_async.models import Server
from hetzner_async.resources import DeprovisionReport
from hetzner_async.testing import FakeConfig, FakeHetznerCloud

#: The servers the example starts with: name -> labels.
SEED = {
    "web-staging-1": {"env": "staging", "role": "web"},
    "web-staging-2": {"env": "staging", "role": "web"},
    "db-staging-1": {"env": "staging", "role": "db"},
    "web-prod-1": {"env": "production", "role": "web"},
    "db-prod-1": {"env": "production", "role": "db"},
}


async def seed(hz: HetznerClient) -> None:
    """Create the example's servers, and protect one staging server against deletion."""
    servers = await asyncio.gather(
        *(
            hz.servers.create_and_wait(
                name=name, server_type="cx22", image="debian-12", labels=labels
            )
            for name, labels in SEED.items()
        )
    )
    protected = next(s for s in servers if s.name == "db-staging-1")
    await hz.actions.wait(await hz.servers.change_protection(protected.id, delete=True))


async def deprovision(
    hz: HetznerClient, selector: str, *, dry_run: bool
) -> DeprovisionReport | list[Server]:
    """Show what matches ``selector``; unless ``dry_run``, delete it and report."""
    matching = await hz.servers.list(label_selector=selector, sort="name")
    print(f"{len(matching)} servers match {selector!r}: {', '.join(s.name for s in matching)}")
    if dry_run:
        return matching
    report = await hz.servers.deprovision(selector)
    print(f"deleted: {', '.join(sorted(s.name for s in report.deleted)) or 'none'}")
    names = {s.id: s.name for s in matching}
    for server_id, error in report.failed.items():
        print(f"not deleted: {names[server_id]}: {type(error).__name__}: {error}")
    left = await hz.servers.list(sort="name")
    print(f"left in the project: {', '.join(s.name for s in left)}")
    return report


async def main(
    argv: Sequence[str] | None = None, *, config: FakeConfig | None = None
) -> DeprovisionReport | list[Server]:
    """Run the example against a fake started here (``config`` tunes it)."""
    parser = argparse.ArgumentParser(description="Delete servers by label selector.")
    parser.add_argument("selector", nargs="?", default="env=staging", help="(env=staging)")
    parser.add_argument("--dry-run", action="store_true", help="only list what would go")
    args = parser.parse_args(argv)
    config = config or FakeConfig(action_duration=0.3, latency=0.02)
    poll = PollPolicy(initial=min(0.5, config.action_duration / 2 or 0.01))
    async with (
        FakeHetznerCloud(config) as fake,
        HetznerClient(fake.token, endpoint=fake.url, poll=poll) as hz,
    ):
        await seed(hz)
        return await deprovision(hz, args.selector, dry_run=args.dry_run)


if __name__ == "__main__":
    asyncio.run(main())
