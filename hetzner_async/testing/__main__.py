"""Run the fake standalone: ``python -m hetzner_async.testing serve --port 8080 --token dev``."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from collections.abc import Sequence

from .config import FakeConfig
from .server import FakeHetznerCloud

__all__ = ["main", "parse_args"]


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m hetzner_async.testing", description="A fake Hetzner Cloud API."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the fake API until SIGINT or SIGTERM")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8080, help="port (0 picks a free one)")
    serve.add_argument("--token", default="dev", help="the API token to accept")
    serve.add_argument(
        "--action-duration", type=float, default=1.0, help="seconds each action runs"
    )
    serve.add_argument("--rate-limit", type=int, default=3600, help="bucket size per token")
    serve.add_argument("--refill-rate", type=float, default=1.0, help="tokens added per second")
    serve.add_argument("--no-rate-limit", action="store_true", help="disable rate limiting")
    serve.add_argument("--latency", type=float, default=0.0, help="seconds added per request")
    serve.add_argument("--latency-max", type=float, default=None, help="random latency bound")
    serve.add_argument("--seed", type=int, default=0, help="seed for probabilistic behaviour")
    return parser.parse_args(argv)


def config_from(args: argparse.Namespace) -> FakeConfig:
    """Build the fake's config from parsed arguments."""
    return FakeConfig(
        token=args.token,
        action_duration=args.action_duration,
        rate_limit=None if args.no_rate_limit else args.rate_limit,
        rate_limit_refill=args.refill_rate,
        latency=args.latency,
        latency_max=args.latency_max,
        seed=args.seed,
    )


async def serve(args: argparse.Namespace) -> None:
    """Serve until SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with FakeHetznerCloud(config_from(args), host=args.host, port=args.port) as fake:
        print(f"Fake Hetzner Cloud API on {fake.url} (token: {fake.token})", flush=True)
        print(f"Admin endpoints on {fake.base_url}/_fake/", flush=True)
        await stop.wait()
    print("stopped", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line."""
    args = parse_args(argv)
    if args.command == "serve":
        asyncio.run(serve(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
