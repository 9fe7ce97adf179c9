"""The demo's command line: what to provision, how the embedded fake behaves, the real API."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass


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
