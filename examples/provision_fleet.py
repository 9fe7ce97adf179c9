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

The demo's parts live in ``examples/fleet/``, one job a module: ``options`` (the command line),
``progress`` and ``display`` (the counters and the live status line), ``flow`` (provisioning and
the clean-up by run label), ``run`` (one run and its summary), ``fake`` (the embedded fake's
settings) and ``safety`` (the questions before the real API).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from typing import TextIO

from fleet.fake import fake_config, fake_poll
from fleet.options import parse_args
from fleet.run import FAILED, OK, REFUSED, run_fleet
from fleet.safety import confirm_real

from hetzner_async import DEFAULT_ENDPOINT
from hetzner_async.testing import FakeHetznerCloud

__all__ = ["FAILED", "OK", "REFUSED", "amain", "main"]


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
