"""One run against one endpoint: a client, provisioning, clean-up whatever happens, a summary."""

from __future__ import annotations

import asyncio
import secrets
from typing import TextIO

from hetzner_async import HetznerClient, PollPolicy
from hetzner_async.errors import HetznerError

from .display import Display
from .flow import clean_up, provision
from .options import Options
from .progress import Progress

#: Exit statuses: done, failed (everything created was cleaned up), refused before starting.
OK, FAILED, REFUSED = 0, 1, 2


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
