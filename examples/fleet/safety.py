"""The real API's safety check: a token is needed, the plan is shown, and a typed yes."""

from __future__ import annotations

import os
import sys
from typing import TextIO

from .options import Options


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
