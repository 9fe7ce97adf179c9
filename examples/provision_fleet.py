"""Provision a fleet of servers concurrently, watch it come up, then tear it all down.

This is the demo (``make demo``)::

    python examples/provision_fleet.py                    # 50 servers on the embedded fake cloud
    python examples/provision_fleet.py --servers 200 --concurrency 50
    python examples/provision_fleet.py --rate-limit 60 --refill-rate 5   # watch the SDK pace itself

By default it starts the fake Hetzner Cloud of ``hetzner_async.testing`` in this process, with
realistic settings: 20-50 ms per request, 3 s server creates, the real limit of 3600 requests per
hour refilled at one per second. It creates an SSH key, a firewall, a private network and one
spread placement group per 10 servers (a spread group holds at most 10), then N servers that use
them, all labelled ``run=<id>``. A status line shows servers created and running, actions
pending, the rate-limit budget left, 429s and retries. Then ``hz.deprovision`` deletes
everything it made, found by its run label, and it prints what it cost: wall time, requests,
requests per server.

Ctrl-C or a failure deletes what was already created: no billable server is left behind.

It talks to the real API only with a token in ``HCLOUD_TOKEN`` *and* ``--real``; it then shows
what it will create (the costs are yours) and asks before creating anything (or takes ``--yes``).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import secrets
import shutil
import sys
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TextIO

from hetzner_async import DEFAULT_ENDPOINT, HetznerClient, PollPolicy
from hetzner_async.errors import HetznerError
from hetzner_async.hooks import RequestEvent
from hetzner_async.models import FirewallRule, NewSubnet
from hetzner_async.testing import FakeConfig, FakeHetznerCloud

#: Exit statuses: done, failed (everything created was cleaned up), refused before starting.
OK, FAILED, REFUSED = 0, 1, 2

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


@dataclass(frozen=True)
class Options:
    """What to provision, and how the embedded fake behaves."""

    servers: int = 50
    concurrency: int = 25
    server_type: str = "cx22"
    image: str = "debian-12"
    location: str = "fsn1"
    #: Seconds per request on the fake: a random value in [latency, latency_max].
    latency: float = 0.02
    latency_max: float = 0.05
    #: Seconds a create takes on the fake; start and delete take a third of it.
    action_duration: float = 3.0
    rate_limit: int = 3600
    refill_rate: float = 1.0
    real: bool = False
    yes: bool = False
    quiet: bool = False
    #: Seconds between status lines when the output is not a terminal.
    progress_interval: float = 1.0
    #: An OpenSSH public key (the text); by default one with no private half is made up.
    public_key: str | None = None


def parse_args(argv: Sequence[str] | None = None) -> Options:
    """Turn the command line into ``Options``."""
    d = Options()
    parser = argparse.ArgumentParser(
        prog="provision_fleet.py",
        description="Provision N servers concurrently, show progress, then delete them all.",
    )
    parser.add_argument("--servers", type=int, default=d.servers, help="how many (default 50)")
    parser.add_argument(
        "--concurrency", type=int, default=d.concurrency, help="servers in flight at once"
    )
    parser.add_argument("--server-type", default=d.server_type)
    parser.add_argument("--image", default=d.image)
    parser.add_argument("--location", default=d.location)
    fake = parser.add_argument_group("the embedded fake cloud")
    fake.add_argument(
        "--latency",
        type=float,
        nargs="+",
        metavar=("MIN", "MAX"),
        default=[d.latency, d.latency_max],
        help="seconds per request, one value or a range (default 0.02 0.05)",
    )
    fake.add_argument(
        "--action-duration",
        type=float,
        default=d.action_duration,
        help="seconds a create takes; start and delete take a third (default 3)",
    )
    fake.add_argument("--rate-limit", type=int, default=d.rate_limit, help="bucket size (3600)")
    fake.add_argument(
        "--refill-rate", type=float, default=d.refill_rate, help="requests regained per second (1)"
    )
    real = parser.add_argument_group("the real Hetzner Cloud (billable)")
    real.add_argument(
        "--real", action="store_true", help="use the real API with the token in HCLOUD_TOKEN"
    )
    real.add_argument("--yes", action="store_true", help="do not ask before creating servers")
    real.add_argument("--public-key", metavar="FILE", help="OpenSSH public key to put on servers")
    parser.add_argument("--quiet", action="store_true", help="no live progress, only the summary")
    args = parser.parse_args(argv)
    if len(args.latency) > 2:
        parser.error("--latency takes one value or two (a range)")
    if args.servers < 1 or args.concurrency < 1:
        parser.error("--servers and --concurrency must be at least 1")
    if args.action_duration < 0 or min(args.latency) < 0:
        parser.error("--action-duration and --latency cannot be negative")
    if args.rate_limit < 1 or args.refill_rate <= 0:
        parser.error("--rate-limit must be at least 1 and --refill-rate positive")
    public_key = None
    if args.public_key:
        with open(args.public_key) as file:
            public_key = file.read().strip()
    return Options(
        servers=args.servers,
        concurrency=args.concurrency,
        server_type=args.server_type,
        image=args.image,
        location=args.location,
        latency=args.latency[0],
        latency_max=args.latency[-1],
        action_duration=args.action_duration,
        rate_limit=args.rate_limit,
        refill_rate=args.refill_rate,
        real=args.real,
        yes=args.yes,
        quiet=args.quiet,
        public_key=public_key,
    )


# --- counting ------------------------------------------------------------------------------------


class Progress:
    """Counters fed by the client's hooks and by the provisioning tasks."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.phase = "starting"
        self.created = 0
        self.running = 0
        self.deleted = 0
        self.actions_pending = 0
        self.requests = 0
        self.throttled = 0
        self.retries = 0
        self.waits = 0
        self.waited = 0.0
        self.started = time.monotonic()

    def on_request(self, event: RequestEvent) -> None:
        """Count one try of one request (the client's ``on_request`` hook)."""
        self.requests += 1
        if event.status == 429:
            self.throttled += 1
        if event.attempt > 1:
            self.retries += 1

    def on_rate_limit_wait(self, seconds: float) -> None:
        """Count one request the client held back for budget (``on_rate_limit_wait``)."""
        self.waits += 1
        self.waited += seconds

    @property
    def elapsed(self) -> float:
        """Return the seconds since the run started."""
        return time.monotonic() - self.started

    def line(self, hz: HetznerClient) -> str:
        """Return the status line (without the clock), cut to fit ``STATUS_WIDTH`` columns."""
        budget = hz.rate_limit
        left = f"{budget.remaining}/{budget.limit}" if budget else "?"
        phase = SHORT_PHASES.get(self.phase, self.phase)
        if self.phase in ("deprovisioning", "done"):
            progress = f"{phase:<8} {self.deleted}/{self.created} deleted"
        else:
            progress = f"{phase:<8} {self.created}/{self.total} created, {self.running} up"
        # (priority, text) in display order; the lowest priorities go first when space runs out.
        fields = [
            (0, progress),
            (3, f"{self.actions_pending} actions"),
            (1, f"budget {left}"),
            (1, f"{self.requests} req, {self.throttled} 429s"),
            (2, f"{self.waits} paced"),
            (4, f"{self.retries} retries"),
        ]
        return fit(fields, STATUS_WIDTH - CLOCK_WIDTH)


#: The phases as the status line names them, in at most 8 columns.
SHORT_PHASES = {"provisioning": "creating", "deprovisioning": "deleting"}
#: Columns the status line may take, clock included: one less than an 80-column terminal,
#: whose last column would wrap the line and break redrawing it in place.
STATUS_WIDTH = 79
#: Columns of the clock in front of the status line (``"[ 12.3s] "``).
CLOCK_WIDTH = 10


def fit(fields: list[tuple[int, str]], width: int) -> str:
    """Join ``(priority, text)`` fields with ``" | "``, dropping the least useful until it fits."""
    kept = list(fields)
    while len(kept) > 1 and len(" | ".join(text for _, text in kept)) > width:
        kept.remove(max(reversed(kept), key=lambda field: field[0]))
    return " | ".join(text for _, text in kept)[:width]


class Display:
    """Show the status line: redrawn in place on a terminal, a plain line per interval otherwise."""

    def __init__(self, out: TextIO, *, quiet: bool, interval: float) -> None:
        self.out = out
        self.quiet = quiet
        self.tty = out.isatty()
        self.interval = 0.2 if self.tty else interval
        self._drawn = False
        self._last = ""

    def say(self, text: str) -> None:
        """Print a message on its own line (above the status line on a terminal)."""
        if self._drawn:
            self.out.write("\r\x1b[K")
            self._drawn = False
        print(text, file=self.out, flush=True)

    def status(self, body: str, elapsed: float) -> None:
        """Show the status line, prefixed with the clock, unless its body did not change."""
        if self.quiet or body == self._last:
            return
        self._last = body
        line = f"[{elapsed:6.1f}s] {body}"  # CLOCK_WIDTH columns before the body
        if self.tty:
            # A line wider than the terminal wraps, and "\r" would then redraw only its end.
            width = shutil.get_terminal_size().columns - 1
            self.out.write(f"\r\x1b[K{line[:width]}")
            self.out.flush()
            self._drawn = True
        else:
            print(line, file=self.out, flush=True)

    def finish(self) -> None:
        """End the status line on a terminal."""
        if self._drawn:
            self.out.write("\n")
            self.out.flush()
            self._drawn = False

    @asynccontextmanager
    async def live(self, progress: Progress, hz: HetznerClient) -> AsyncIterator[None]:
        """Refresh the status line in the background for the duration of the block."""

        async def refresh() -> None:
            while True:
                self.status(progress.line(hz), progress.elapsed)
                await asyncio.sleep(self.interval)

        task = asyncio.create_task(refresh())
        try:
            yield
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            self.status(progress.line(hz), progress.elapsed)
            self.finish()


# --- the work ------------------------------------------------------------------------------------


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


async def run_fleet(
    opts: Options,
    out: TextIO,
    *,
    endpoint: str,
    token: str | None,
    poll: PollPolicy | None = None,
) -> int:
    """Provision and tear down one fleet against an endpoint; return the exit status.

    Whatever stops the run (a failed action, an API error, Ctrl-C, a cancelled task), the
    servers, groups, network, firewall and SSH key it created are deleted before the error goes
    on.
    """
    run_id = secrets.token_hex(4)
    progress = Progress(opts.servers)
    display = Display(out, quiet=opts.quiet, interval=opts.progress_interval)
    pause = 2.0 if opts.real else min(2.0, max(0.05, opts.action_duration / 3))
    status, left, provisioned = OK, 0, 0.0
    async with HetznerClient(
        token,
        endpoint=endpoint,
        application="provision-fleet/1.0",
        poll=poll,
        rate_limit_warning=0,  # the status line shows the budget
        on_request=progress.on_request,
        on_rate_limit_wait=progress.on_rate_limit_wait,
    ) as hz:
        display.say(
            f"run {run_id}: {opts.servers} x {opts.server_type} ({opts.image}) in "
            f"{opts.location}, {opts.concurrency} at a time, on {endpoint}"
        )
        try:
            async with display.live(progress, hz):
                try:
                    await provision(hz, opts, run_id, progress, display)
                except (Exception, asyncio.CancelledError, KeyboardInterrupt) as error:
                    provisioned = progress.elapsed
                    display.say(f"stopped by {describe(error)}; deleting what was created")
                    left = await clean_up(hz, run_id, progress, display, pause=pause, again=False)
                    display.say(f"cleaned up: {progress.deleted} servers deleted, {left} left")
                    raise
                provisioned = progress.elapsed
                left = await clean_up(hz, run_id, progress, display, pause=pause, again=True)
        except* HetznerError as group:
            # The failure stopped the run; what it created was deleted above.
            status = FAILED
            display.say(f"FAILED: {describe(group)}")
        wall = progress.elapsed
        budget = hz.rate_limit
    per_server = progress.requests / max(1, progress.created)
    title = "Summary" if status == OK else "Summary of the failed run"
    lines = [
        "",
        title,
        f"  servers        {progress.created} created, {progress.running} running, "
        f"{progress.deleted} deleted, {left} left behind",
        f"  wall time      {wall:.1f} s ({provisioned:.1f} s to provision, "
        f"{wall - provisioned:.1f} s to tear down)",
        f"  requests       {progress.requests} spent, {per_server:.1f} per server",
        f"  rate limit     {progress.throttled} 429s, {progress.retries} retries, "
        f"{progress.waits} requests paced ({progress.waited:.1f} s waited)",
    ]
    if budget is not None:
        lines.append(f"  budget left    {budget.remaining}/{budget.limit}")
    display.say("\n".join(lines))
    return FAILED if left else status


def describe(error: BaseException) -> str:
    """Name an error briefly; for a group, its first leaf."""
    while isinstance(error, BaseExceptionGroup):
        error = error.exceptions[0]
    if isinstance(error, asyncio.CancelledError | KeyboardInterrupt):
        return "an interrupt"
    return f"{type(error).__name__}: {error}"


def fake_config(opts: Options) -> FakeConfig:
    """Return the embedded fake's settings for these options."""
    return FakeConfig(
        latency=opts.latency,
        latency_max=opts.latency_max,
        action_duration=opts.action_duration / 3,
        action_durations={"create_server": opts.action_duration},
        rate_limit=opts.rate_limit,
        rate_limit_refill=opts.refill_rate,
        seed=None,
    )


def fake_poll(opts: Options) -> PollPolicy:
    """Poll about as often as the fake's actions are short (the defaults suit the real API)."""
    initial = min(0.5, max(0.01, opts.action_duration / 6))
    return PollPolicy(initial=initial, cap=max(initial, min(5.0, opts.action_duration / 2)))


def confirm_real(opts: Options, out: TextIO) -> str | None:
    """Show the plan for the real API and ask; return why not to go, or None to go."""
    if not any(os.environ.get(name) for name in ("HCLOUD_TOKEN", "HETZNER_API_TOKEN")):
        return "--real needs an API token in HCLOUD_TOKEN; nothing was created"
    print(
        "This run uses the REAL Hetzner Cloud API, and the costs are yours. It will create\n"
        f"  {opts.servers} x {opts.server_type} servers ({opts.image}) in {opts.location}, "
        f"{opts.concurrency} at a time,\n"
        "  1 SSH key, 1 firewall, 1 private network and 1 spread placement group per 10 servers,\n"
        "all labelled app=provision-fleet and run=<id>, and delete them all when it ends.\n"
        "New projects may allow only a few servers: lower --servers if so.",
        file=out,
        flush=True,
    )
    if opts.yes:
        return None
    if not sys.stdin.isatty():
        return "not confirmed: pass --yes to run without a terminal; nothing was created"
    if input("Type 'yes' to create them: ").strip().lower() != "yes":
        return "not confirmed; nothing was created"
    return None


async def amain(
    argv: Sequence[str] | None = None,
    *,
    out: TextIO | None = None,
    fake: FakeHetznerCloud | None = None,
) -> int:
    """Run the demo; ``fake`` is a running fake to use instead of starting one (for tests)."""
    out = out or sys.stdout
    opts = parse_args(argv)
    if opts.real:
        refusal = confirm_real(opts, out)
        if refusal is not None:
            print(refusal, file=sys.stderr)
            return REFUSED
        # token=None: the client reads HCLOUD_TOKEN (or HETZNER_API_TOKEN) itself.
        return await run_fleet(opts, out, endpoint=DEFAULT_ENDPOINT, token=None)
    if fake is not None:
        return await run_fleet(opts, out, endpoint=fake.url, token=fake.token, poll=fake_poll(opts))
    async with FakeHetznerCloud(fake_config(opts)) as embedded:
        return await run_fleet(
            opts, out, endpoint=embedded.url, token=embedded.token, poll=fake_poll(opts)
        )


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None) -> int:
    """Run the demo from the command line and return its exit status."""
    try:
        return asyncio.run(amain(argv, out=out))
    except KeyboardInterrupt:
        # asyncio.run turned Ctrl-C into a cancellation, and run_fleet cleaned up on its way out.
        print("\ninterrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
