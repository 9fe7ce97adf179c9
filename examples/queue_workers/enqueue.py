"""Put provisioning and deprovisioning jobs on the queue, and optionally wait for their results.

From the ``examples`` directory::

    python -m queue_workers.enqueue provision --count 300 --prefix fleet --label fleet=demo --wait
    python -m queue_workers.enqueue deprovision --selector fleet=demo --wait

Each provisioning job's ID is derived from its server name (``provision-fleet-0042``), so running
the enqueuer twice does not queue a server twice: arq refuses a job ID it still knows.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from arq import ArqRedis, create_pool
from arq.connections import RedisSettings
from arq.jobs import Job

from .worker import SETTINGS


def provision_job_id(name: str) -> str:
    """Return the job ID of the job that provisions server ``name``."""
    return f"provision-{name}"


async def enqueue_provisioning(
    redis: ArqRedis,
    names: Iterable[str],
    *,
    server_type: str = "cx22",
    image: str = "debian-12",
    location: str | None = None,
    labels: Mapping[str, str] | None = None,
    queue_name: str = SETTINGS.queue_name,
) -> list[Job]:
    """Queue one ``provision_server`` job per name; return the jobs (already queued ones too)."""
    jobs = []
    for name in names:
        spec: dict[str, Any] = {
            "name": name,
            "server_type": server_type,
            "image": image,
            "labels": dict(labels or {}),
        }
        if location is not None:
            spec["location"] = location
        job_id = provision_job_id(name)
        job = await redis.enqueue_job(
            "provision_server", spec, _job_id=job_id, _queue_name=queue_name
        )
        # None: a job with this ID is queued, running or finished recently; follow that one.
        jobs.append(job or Job(job_id, redis, _queue_name=queue_name))
    return jobs


async def enqueue_deprovisioning(
    redis: ArqRedis, label_selector: str, *, queue_name: str = SETTINGS.queue_name
) -> Job | None:
    """Queue one ``deprovision_servers`` job for a label selector."""
    return await redis.enqueue_job("deprovision_servers", label_selector, _queue_name=queue_name)


def _labels(pairs: Sequence[str]) -> dict[str, str]:
    labels = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise SystemExit(f"--label wants key=value, not {pair!r}")
        labels[key] = value
    return labels


def _common_options(*, defaults: bool) -> argparse.ArgumentParser:
    """Return the options every command takes, with their defaults or without (SUPPRESS)."""
    common = argparse.ArgumentParser(add_help=False)
    absent = argparse.SUPPRESS
    common.add_argument(
        "--redis", default=SETTINGS.redis_url if defaults else absent, help="Redis URL ($REDIS_URL)"
    )
    common.add_argument(
        "--queue", default=SETTINGS.queue_name if defaults else absent, help="queue ($QUEUE_NAME)"
    )
    common.add_argument(
        "--wait",
        action="store_true",
        default=False if defaults else absent,
        help="wait for the jobs and report",
    )
    return common


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line; the common options go before or after the command."""
    # After the command they default to SUPPRESS, so that leaving them out there keeps what
    # was given before it: `--wait provision ...` and `provision ... --wait` both work.
    parser = argparse.ArgumentParser(
        prog="python -m queue_workers.enqueue", parents=[_common_options(defaults=True)]
    )
    after = [_common_options(defaults=False)]
    sub = parser.add_subparsers(dest="command", required=True)
    provision = sub.add_parser("provision", help="queue servers to create", parents=after)
    provision.add_argument("--count", type=int, required=True)
    provision.add_argument("--prefix", default="fleet", help="names are <prefix>-0000, ...")
    provision.add_argument("--start", type=int, default=0, help="first number")
    provision.add_argument("--server-type", default="cx22")
    provision.add_argument("--image", default="debian-12")
    provision.add_argument("--location", default=None)
    provision.add_argument("--label", action="append", default=[], help="key=value, repeatable")
    deprovision = sub.add_parser(
        "deprovision", help="queue deleting servers by label", parents=after
    )
    deprovision.add_argument("--selector", required=True, help='e.g. "fleet=demo"')
    return parser.parse_args(argv)


async def run(args: argparse.Namespace) -> int:
    """Queue the jobs; with ``--wait``, wait for them and return 1 if any failed."""
    redis = await create_pool(RedisSettings.from_dsn(args.redis))
    try:
        if args.command == "provision":
            names = [f"{args.prefix}-{i:04d}" for i in range(args.start, args.start + args.count)]
            jobs = await enqueue_provisioning(
                redis,
                names,
                server_type=args.server_type,
                image=args.image,
                location=args.location,
                labels=_labels(args.label),
                queue_name=args.queue,
            )
        else:
            job = await enqueue_deprovisioning(redis, args.selector, queue_name=args.queue)
            jobs = [job] if job is not None else []
        print(f"queued {len(jobs)} job(s) on {args.queue}")
        if not args.wait:
            return 0
        failed = 0
        for job in jobs:
            try:
                result = await job.result(timeout=None, poll_delay=0.2)
            except Exception as error:  # the job's own exception, re-raised by arq
                failed += 1
                print(f"{job.job_id}: failed: {error!r}")
            else:
                print(f"{job.job_id}: {result}")
        return 1 if failed else 0
    finally:
        await redis.aclose()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line."""
    return asyncio.run(run(parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
