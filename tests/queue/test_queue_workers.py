"""Three arq worker processes provision servers from one Redis queue against the fake cloud.

Everything is real but the cloud: redis-server, the fake served by its own process, and workers
started with arq's command line, as the example's README runs them.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import pytest
from arq import ArqRedis
from arq.jobs import Job, JobResult
from queue_workers.enqueue import enqueue_deprovisioning, enqueue_provisioning
from queue_workers.worker import JOB_LABEL

from .cluster import FakeCloud, Workers, servers_named

WORKERS = 3
#: The design's bound on 429s with the shared Redis budget: only the first request of each
#: process (its probe, sent before any process has reported the budget) bypasses the shared
#: mirror, so at most WORKERS - 1 requests can find the API's bucket emptier than the mirror.
SHARED_429_BOUND = WORKERS - 1


async def results(jobs: list[Job], *, timeout: float) -> dict[str, JobResult]:
    """Wait until every job has a result (success or failure); return them by job ID."""
    done: dict[str, JobResult] = {}
    deadline = time.monotonic() + timeout
    while len(done) < len(jobs):
        pending = [job for job in jobs if job.job_id not in done]
        for job, info in zip(
            pending, await asyncio.gather(*(j.result_info() for j in pending)), strict=True
        ):
            if info is not None:
                done[job.job_id] = info
        if len(done) < len(jobs):
            assert time.monotonic() < deadline, f"{len(jobs) - len(done)} jobs unfinished"
            await asyncio.sleep(0.1)
    return done


def check_fleet(fake: FakeCloud, prefix: str, count: int, done: dict[str, JobResult]) -> None:
    """Every job succeeded, and each name exists exactly once, created by its own job."""
    failures = {job_id: info.result for job_id, info in done.items() if not info.success}
    assert failures == {}
    stored = servers_named(fake, prefix)
    assert sorted(stored) == [f"{prefix}-{i:04d}" for i in range(count)]
    assert max(stored.values()) == 1  # no duplicates
    for server in fake.servers():
        if server["name"].startswith(prefix):
            assert server["labels"][JOB_LABEL] == f"provision-{server['name']}"
            assert server["status"] == "running"


async def test_three_workers_provision_300_servers_within_the_shared_budget(
    fake: FakeCloud,
    arq_redis: ArqRedis,
    queue: str,
    start_workers: Callable[..., Workers],
) -> None:
    """300 jobs on three workers: 300 running servers, no duplicates, 429s within the bound."""
    start_workers(WORKERS)
    names = [f"fleet-{i:04d}" for i in range(300)]
    jobs = await enqueue_provisioning(arq_redis, names, labels={"fleet": "a"}, queue_name=queue)
    done = await results(jobs, timeout=60)

    check_fleet(fake, "fleet", 300, done)
    assert {info.result["name"] for info in done.values()} == set(names)
    assert len({info.result["worker"] for info in done.values()}) == WORKERS  # all took part
    assert fake.stats()["rate_limited"] <= SHARED_429_BOUND


# Actions of 0.5 s: the killed worker is sure to be waiting for servers it has created.
@pytest.mark.parametrize("fake_options", [{"action_duration": 0.5}])
async def test_a_killed_worker_loses_and_duplicates_nothing(
    fake: FakeCloud,
    arq_redis: ArqRedis,
    queue: str,
    start_workers: Callable[..., Workers],
) -> None:
    """SIGKILL one worker mid-run: its jobs run again elsewhere and adopt what it created."""
    # A short job timeout: arq hands a dead worker's jobs to another after timeout + 10 s.
    workers = start_workers(WORKERS, job_timeout=4.0)
    victim = workers.procs[0].pid
    count = 150
    names = [f"kill-{i:04d}" for i in range(count)]
    jobs = await enqueue_provisioning(arq_redis, names, labels={"fleet": "b"}, queue_name=queue)

    # Kill the victim while it waits for at least three servers it has created to start.
    def creating() -> set[str]:
        names = {job_id.removeprefix("provision-") for job_id in workers.running_jobs(0)}
        servers = fake.servers()
        return {s["name"] for s in servers if s["name"] in names and s["status"] != "running"}

    deadline = time.monotonic() + 30
    while len(creating()) < 3:
        assert time.monotonic() < deadline, "the victim never had servers in the making"
        await asyncio.sleep(0.02)
    workers.kill(0)
    done = await results(jobs, timeout=60)

    check_fleet(fake, "kill", count, done)
    outcomes: list[dict[str, Any]] = [info.result for info in done.values()]
    retried = [r for r in outcomes if r["try"] > 1]
    assert retried, "no job of the killed worker was run again"
    assert all(r["worker"] != victim for r in retried)
    # The killed worker had sent creates whose servers a retry then adopted, not duplicated.
    assert any(r["adopted"] for r in retried)
    assert fake.stats()["rate_limited"] <= SHARED_429_BOUND

    # Deprovision by label: one job removes the whole batch.
    job = await enqueue_deprovisioning(arq_redis, "fleet=b", queue_name=queue)
    assert job is not None
    deleted = await job.result(timeout=30, poll_delay=0.1)
    assert deleted["deleted"] == {"servers": len(names)}
    assert servers_named(fake, "kill") == {}
