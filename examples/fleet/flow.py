"""The work of one run: provision the fleet, then deprovision it by its run label."""

from __future__ import annotations

import asyncio
import base64
import secrets

from hetzner_async import HetznerClient
from hetzner_async.errors import HetznerError
from hetzner_async.models import FirewallRule, NewSubnet

from .display import Display
from .options import Options
from .progress import Progress

#: The label every resource of one run carries; clean-up finds what to delete by it.
RUN_LABEL = "run"
APP_LABEL = {"app": "provision-fleet"}

#: A spread placement group puts each server on another host, at most this many per group.
SPREAD_GROUP_SIZE = 10
#: The private network of a fleet, and its one subnet.
NETWORK_RANGE, SUBNET_RANGE = "10.0.0.0/16", "10.0.1.0/24"

RULES = [
    FirewallRule(
        direction="in",
        protocol="tcp",
        port="22",
        source_ips=["0.0.0.0/0", "::/0"],
        description="ssh",
    ),
    FirewallRule(
        direction="in", protocol="icmp", source_ips=["0.0.0.0/0", "::/0"], description="ping"
    ),
]


def throwaway_public_key(comment: str) -> str:
    """Make up an ed25519 public key: unique per run, and nobody holds its private key."""
    kind = b"ssh-ed25519"
    key = secrets.token_bytes(32)
    blob = len(kind).to_bytes(4, "big") + kind + len(key).to_bytes(4, "big") + key
    return f"ssh-ed25519 {base64.b64encode(blob).decode()} {comment}"


async def provision(
    hz: HetznerClient, opts: Options, run_id: str, progress: Progress, display: Display
) -> None:
    """Create the SSH key, firewall, network and placement groups, then N servers; wait for them."""
    labels = {**APP_LABEL, RUN_LABEL: run_id}
    prefix = f"fleet-{run_id}"
    public_key = opts.public_key or throwaway_public_key(prefix)
    key = await hz.ssh_keys.create(name=prefix, public_key=public_key, labels=labels)
    firewall = (await hz.firewalls.create(name=prefix, rules=RULES, labels=labels)).firewall
    location = await hz.locations.get_by_name(opts.location)
    zone = location.network_zone if location is not None else "eu-central"
    subnet = NewSubnet(type="cloud", network_zone=zone, ip_range=SUBNET_RANGE)
    network = await hz.networks.create(
        name=prefix, ip_range=NETWORK_RANGE, subnets=[subnet], labels=labels
    )
    groups = [
        (
            await hz.placement_groups.create(name=f"{prefix}-{n}", type="spread", labels=labels)
        ).placement_group.id
        for n in range(-(-opts.servers // SPREAD_GROUP_SIZE))
    ]
    display.say(
        f"ssh key, firewall ({len(RULES)} rules), network {NETWORK_RANGE} and "
        f"{len(groups)} spread placement groups created"
    )
    gate = asyncio.Semaphore(opts.concurrency)
    progress.phase = "provisioning"

    async def one(index: int) -> None:
        async with gate:
            result = await hz.servers.create(
                name=f"{prefix}-{index:03d}",
                server_type=opts.server_type,
                image=opts.image,
                location=opts.location,
                ssh_keys=[key.id],
                firewalls=[firewall.id],
                networks=[network.id],
                placement_group=groups[(index - 1) // SPREAD_GROUP_SIZE],
                labels=labels,
            )
            # result.root_password is None (an SSH key was given); never print it if set.
            progress.created += 1
            actions = [result.action, *result.next_actions]
            progress.actions_pending += len(actions)
            try:
                await hz.actions.wait(*actions)
            finally:
                progress.actions_pending -= len(actions)
            progress.running += 1

    # The first failure cancels the other tasks; the caller then cleans up by the run label.
    async with asyncio.TaskGroup() as group:
        for index in range(1, opts.servers + 1):
            group.create_task(one(index))
    fleet = await hz.servers.list(label_selector={RUN_LABEL: run_id}, status="running")
    display.say(
        f"{len(fleet)} servers running after {progress.elapsed:.1f} s "
        f"(all labelled {RUN_LABEL}={run_id})"
    )


async def teardown(
    hz: HetznerClient, run_id: str, progress: Progress, display: Display, *, pause: float
) -> int:
    """Delete everything labelled with this run (``hz.deprovision``); return servers left.

    A create that was in flight when the run stopped may land late, and the API may need a
    moment to let go of a firewall whose servers were just deleted: so deprovision in rounds
    until nothing labelled is left, pausing in between.
    """
    selector = f"{RUN_LABEL}={run_id}"
    progress.phase = "deprovisioning"
    left, report = -1, None
    for _ in range(60):
        report = await hz.deprovision(selector)
        progress.deleted += len(report.deleted.get("servers", []))
        left = len(await hz.servers.list(label_selector=selector))
        if left == 0 and report.complete:
            break
        await asyncio.sleep(pause)
    if left:
        display.say(f"WARNING: {left} servers labelled {selector} could not be deleted")
    if report is not None and not report.complete:
        display.say(f"WARNING: not deleted: {describe_failures(report.failed)}")
    # Only now: the last status line, drawn once, then counts every request of the run.
    progress.phase = "done"
    return left


def describe_failures(failed: dict[str, dict[int | str, HetznerError]]) -> str:
    """Name what deprovisioning could not delete, by kind."""
    return "; ".join(
        f"{kind} {', '.join(str(rid) for rid in errors)} ({next(iter(errors.values()))})"
        for kind, errors in failed.items()
        if errors
    )


async def clean_up(
    hz: HetznerClient,
    run_id: str,
    progress: Progress,
    display: Display,
    *,
    pause: float,
    again: bool,
) -> int:
    """Run ``teardown``; if interrupted and ``again``, start it over once, then re-raise.

    The first Ctrl-C while the fleet is being deleted must not leave half of it running; a
    further interrupt (asyncio.run cancels every task after a second Ctrl-C) abandons it.
    """
    try:
        left = await teardown(hz, run_id, progress, display, pause=pause)
    except asyncio.CancelledError:
        if not again:
            display.say(f"clean-up abandoned: servers labelled {RUN_LABEL}={run_id} may remain")
            raise
        display.say("interrupted while deleting: finishing the clean-up (Ctrl-C again to abandon)")
        left = await teardown(hz, run_id, progress, display, pause=pause)
        display.say(f"cleaned up: {progress.deleted} servers deleted, {left} left")
        raise
    return left
