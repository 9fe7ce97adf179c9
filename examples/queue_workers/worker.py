r"""The arq worker: provision servers and deprovision them by label, from a Redis job queue.

Run one or many (on one machine or many), all pointed at the same Redis and Hetzner project::

    cd examples && arq --custom-log-dict queue_workers.worker.LOG_CONFIG \
        queue_workers.worker.WorkerSettings

Configuration comes from the environment, so every worker of a fleet can share one file:

==========================  ==========================================================
``REDIS_URL``               the queue's Redis (default ``redis://localhost:6379/0``)
``HCLOUD_TOKEN``            the API token (``HCLOUD_ENDPOINT`` for another endpoint)
``QUEUE_NAME``              the arq queue (default ``hetzner:provision``)
``QUEUE_MAX_JOBS``          jobs one worker runs at once (default 10)
``QUEUE_JOB_TIMEOUT``       seconds before a job is cancelled and retried (default 900);
                            a killed worker's jobs are picked up again 10 s after that
``QUEUE_MAX_TRIES``         tries per job (default 5)
``QUEUE_SHARED_BUDGET``     a project name: draw from one rate-limit budget in Redis, shared
                            by every worker using that name (default: off, each worker
                            mirrors the budget from the response headers on its own)
``QUEUE_POLL_INITIAL``,     action polling interval in seconds, first and longest
``QUEUE_POLL_CAP``          (default 0.5 and 5)
==========================  ==========================================================

A job may run more than once: arq retries it after a timeout, a transient API failure, or when
the worker running it died. Each try creates the same server name and labels it with the job's
ID, so a retry finds the server an earlier try created and adopts it instead of making a second.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import re
from dataclasses import dataclass
from typing import Any, ClassVar

from arq import Retry
from arq.connections import RedisSettings
from arq.worker import Function, func

from hetzner_async import HetznerClient, PollPolicy
from hetzner_async.errors import (
    ActionTimeoutError,
    AmbiguousOutcomeError,
    APIConnectionError,
    APIError,
    HetznerError,
    RateLimitError,
    UniquenessError,
)
from hetzner_async.models import Server, ServerStatus
from hetzner_async.redis_budget import RedisBudget

logger = logging.getLogger("queue_workers")

#: The label that ties a server to the job that created it; a retried job adopts only these.
JOB_LABEL = "provisioner/job"

_LABEL_VALUE = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$")


@dataclass(frozen=True)
class Settings:
    """The worker's configuration, read once from the environment."""

    redis_url: str = "redis://localhost:6379/0"
    queue_name: str = "hetzner:provision"
    max_jobs: int = 10
    job_timeout: float = 900.0
    max_tries: int = 5
    shared_budget: str | None = None
    poll_initial: float = 0.5
    poll_cap: float = 5.0

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        """Read the ``REDIS_URL`` and ``QUEUE_*`` variables; unset ones keep their defaults."""
        env = dict(os.environ if env is None else env)
        d = cls()
        return cls(
            redis_url=env.get("REDIS_URL", d.redis_url),
            queue_name=env.get("QUEUE_NAME", d.queue_name),
            max_jobs=int(env.get("QUEUE_MAX_JOBS", d.max_jobs)),
            job_timeout=float(env.get("QUEUE_JOB_TIMEOUT", d.job_timeout)),
            max_tries=int(env.get("QUEUE_MAX_TRIES", d.max_tries)),
            shared_budget=env.get("QUEUE_SHARED_BUDGET") or None,
            poll_initial=float(env.get("QUEUE_POLL_INITIAL", d.poll_initial)),
            poll_cap=float(env.get("QUEUE_POLL_CAP", d.poll_cap)),
        )


SETTINGS = Settings.from_env()


#: arq's own log set-up plus this worker's and the SDK's messages (``arq --custom-log-dict``).
LOG_CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "formatters": {"plain": {"format": "%(asctime)s %(process)d %(name)s: %(message)s"}},
    "loggers": {
        name: {"handlers": ["stderr"], "level": "INFO"}
        for name in ("arq", "queue_workers", "hetzner_async")
    },
}


def job_label(job_id: str) -> str:
    """Return the job ID as a label value (a hash of it when it does not fit the label rules)."""
    if _LABEL_VALUE.fullmatch(job_id):
        return job_id
    return hashlib.sha256(job_id.encode()).hexdigest()[:40]


class NameTakenError(Exception):
    """The server name is in use by a server this job did not create; retrying cannot help."""


# --- worker lifecycle ---------------------------------------------------------------------------


async def startup(ctx: dict[str, Any]) -> None:
    """Open one HetznerClient per worker process, shared by all the jobs it runs."""
    budget = None
    if SETTINGS.shared_budget:
        # Reuse arq's own Redis connection pool for the budget.
        budget = RedisBudget(ctx["redis"], project=SETTINGS.shared_budget)
    client = HetznerClient(
        application="queue-worker/1.0",
        poll=PollPolicy(initial=SETTINGS.poll_initial, cap=SETTINGS.poll_cap),
        shared_budget=budget,
    )
    ctx["hz"] = await client.__aenter__()
    logger.info("worker %d ready (shared budget: %s)", os.getpid(), budget or "off")


async def shutdown(ctx: dict[str, Any]) -> None:
    """Close the client: stop its poller and its connection pool."""
    hz: HetznerClient | None = ctx.get("hz")
    if hz is not None:
        await hz.close()


# --- the jobs -----------------------------------------------------------------------------------


def _transient(error: HetznerError) -> bool:
    """Tell whether trying the whole job again later may succeed (and is safe: see adopt)."""
    if isinstance(
        error, APIConnectionError | AmbiguousOutcomeError | RateLimitError | ActionTimeoutError
    ):
        return True
    return isinstance(error, APIError) and error.retriable


async def provision_server(ctx: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    """Create the server ``spec`` describes and wait until it runs; adopt it on a retry.

    ``spec``: ``name``, ``server_type``, ``image``, and optionally ``location`` and ``labels``.
    """
    hz: HetznerClient = ctx["hz"]
    mark = job_label(ctx["job_id"])
    adopted = False
    try:
        try:
            server = await hz.servers.create_and_wait(
                name=spec["name"],
                server_type=spec["server_type"],
                image=spec["image"],
                location=spec.get("location"),
                labels={**spec.get("labels", {}), JOB_LABEL: mark},
            )
        except UniquenessError:
            # The name exists. If an earlier try of this very job made it (its worker died or
            # timed out mid-create), it carries our job label: adopt it. Otherwise fail.
            server = await adopt(hz, spec["name"], mark)
            adopted = True
    except HetznerError as error:
        if _transient(error):
            logger.warning("job %s: %s; retrying later", ctx["job_id"], error)
            raise Retry(defer=min(60, 2 * ctx["job_try"])) from error
        raise
    return {
        "id": server.id,
        "name": server.name,
        "status": str(server.status),
        "ipv4": server.public_net.ipv4.ip if server.public_net.ipv4 else None,
        "adopted": adopted,
        "try": ctx["job_try"],
        "worker": os.getpid(),
    }


async def adopt(hz: HetznerClient, name: str, mark: str) -> Server:
    """Return the server ``name`` once it runs, if an earlier try of job ``mark`` created it."""
    server = await hz.servers.get_by_name(name)
    if server is None:
        # Deleted between the failed create and now: let arq try the job again.
        raise Retry(defer=1)
    if server.labels.get(JOB_LABEL) != mark:
        raise NameTakenError(
            f"a server named {name!r} exists (id {server.id}) but was not created by job {mark}; "
            "rename the request or delete that server"
        )
    logger.info(
        "adopting server %s (%d), created by an earlier try of job %s", name, server.id, mark
    )
    delay = SETTINGS.poll_initial
    while server.status != ServerStatus.RUNNING:
        if server.status == ServerStatus.OFF:
            # Created, but never started (the earlier try died before its start action ran).
            await hz.actions.wait(await hz.servers.power_on(server.id))
        else:
            # Still initializing or starting: its own create and start actions will finish.
            await asyncio.sleep(delay)
            delay = min(SETTINGS.poll_cap, delay * 1.5)
        server = await hz.servers.get(server.id)
    return server


async def deprovision_servers(ctx: dict[str, Any], label_selector: str) -> dict[str, Any]:
    """Delete everything labelled ``label_selector`` with ``hz.deprovision``.

    Servers first, then the volumes, addresses, groups and networks they leave behind; DNS
    records stay. Safe to repeat: a retry lists only what is left, and what is already gone
    counts as deleted.
    """
    hz: HetznerClient = ctx["hz"]
    report = await hz.deprovision(label_selector)
    if not report.complete:
        failed = sum(len(errors) for errors in report.failed.values())
        logger.warning("job %s: %d deletes failed; retrying later", ctx["job_id"], failed)
        raise Retry(defer=min(60, 2 * ctx["job_try"]))
    deleted = {kind: len(ids) for kind, ids in report.deleted.items() if ids}
    return {"deleted": deleted, "worker": os.getpid()}


class WorkerSettings:
    """What ``arq queue_workers.worker.WorkerSettings`` runs."""

    functions: ClassVar[list[Function]] = [
        func(provision_server, name="provision_server"),
        func(deprovision_servers, name="deprovision_servers"),
    ]
    on_startup = startup
    on_shutdown = shutdown
    redis_settings = RedisSettings.from_dsn(SETTINGS.redis_url)
    queue_name = SETTINGS.queue_name
    max_jobs = SETTINGS.max_jobs
    job_timeout = SETTINGS.job_timeout
    max_tries = SETTINGS.max_tries
    # A job cancelled by a timeout or shutdown goes back on the queue; adoption makes it safe.
    retry_jobs = True
    keep_result = 3600
