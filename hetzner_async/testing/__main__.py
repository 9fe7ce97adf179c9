"""Run the fake standalone: ``python -m hetzner_async.testing serve --port 8080 --token dev``."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
from collections.abc import Callable, Sequence

from .config import FakeConfig
from .server import FakeHetznerCloud

__all__ = ["main", "parse_args"]

PROG = "python -m hetzner_async.testing"


def _number(
    convert: Callable[[str], float], check: Callable[[float], bool], what: str
) -> Callable[[str], float]:
    """Return an argparse type: ``convert`` the text, then refuse values ``check`` rejects."""

    def parse(text: str) -> float:
        try:
            value = convert(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
        if not check(value):
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}")
        return value

    parse.__name__ = what  # argparse names the type in some messages
    return parse


_port = _number(int, lambda v: 0 <= v <= 65535, "a port (0-65535)")
_positive_int = _number(int, lambda v: v >= 1, "a whole number of at least 1")
_positive = _number(float, lambda v: v > 0, "a number above 0")
_seconds = _number(float, lambda v: v >= 0, "a number of seconds (0 or more)")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line (invalid values end the program with a one-line message)."""
    parser = argparse.ArgumentParser(prog=PROG, description="A fake Hetzner Cloud API.")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser(
        "serve",
        help="serve the fake API until SIGINT or SIGTERM",
        description="Serve the fake Hetzner Cloud API (/v1) and its admin endpoints (/_fake).",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind")
    serve.add_argument("--port", type=_port, default=8080, help="port; 0 picks a free one")
    serve.add_argument("--token", default="dev", help="the API token to accept")
    serve.add_argument(
        "--action-duration", type=_seconds, default=1.0, help="seconds each action runs"
    )
    serve.add_argument(
        "--rate-limit", type=_positive_int, default=3600, help="requests a token may burst"
    )
    serve.add_argument(
        "--refill-rate", type=_positive, default=1.0, help="requests a token regains a second"
    )
    serve.add_argument("--no-rate-limit", action="store_true", help="disable rate limiting")
    serve.add_argument("--latency", type=_seconds, default=0.0, help="seconds added per request")
    serve.add_argument(
        "--latency-max", type=_seconds, default=None, help="upper bound of a random latency"
    )
    serve.add_argument("--seed", type=int, default=0, help="seed for probabilistic behaviour")
    args = parser.parse_args(argv)
    if args.latency_max is not None and args.latency_max < args.latency:
        serve.error("argument --latency-max: must not be below --latency")
    return args


def config_from(args: argparse.Namespace) -> FakeConfig:
    """Build the fake's config from parsed arguments."""
    return FakeConfig(
        token=args.token,
        action_duration=args.action_duration,
        rate_limit=None if args.no_rate_limit else int(args.rate_limit),
        rate_limit_refill=args.refill_rate,
        latency=args.latency,
        latency_max=args.latency_max,
        seed=args.seed,
    )


async def serve(args: argparse.Namespace) -> None:
    """Serve until SIGINT or SIGTERM (``OSError`` if the address cannot be bound)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with FakeHetznerCloud(config_from(args), host=args.host, port=int(args.port)) as fake:
        print(f"Fake Hetzner Cloud API on {fake.url} (token: {fake.token})", flush=True)
        print(f"Admin endpoints on {fake.base_url}/_fake/", flush=True)
        await stop.wait()
    print("stopped", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (1 when the port cannot be bound)."""
    args = parse_args(argv)
    if args.command == "serve":
        try:
            asyncio.run(serve(args))
        except OSError as exc:
            reason = os.strerror(exc.errno) if exc.errno else str(exc)
            print(
                f"{PROG}: error: cannot serve on {args.host}:{args.port}: {reason}", file=sys.stderr
            )
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
