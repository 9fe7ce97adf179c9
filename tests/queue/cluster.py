"""Real processes for the queue tests: redis-server, the standalone fake cloud, arq workers.

Also runnable as a measurement: ``python -m tests.queue.cluster`` prints the 429 counts of a
300-job burst on three workers, with and without the shared Redis budget (README numbers).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
ENSURE_REDIS = Path(__file__).with_name("ensure_redis.sh")

TOKEN = "queue-test-token"
#: The fake's bucket: small enough that a burst of three workers overdraws it, refilled fast
#: enough that 300 servers take seconds. Actions run 0.1 s.
RATE_LIMIT = 50
REFILL = 50.0
ACTION_DURATION = 0.1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(
    condition: Callable[[], bool], *, timeout: float, interval: float = 0.05, what: str = ""
) -> None:
    """Poll ``condition`` until it holds; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what or condition}")
        time.sleep(interval)


def find_redis_server() -> str | None:
    """Return the path of redis-server, installing it with ensure_redis.sh if it is missing."""
    found = shutil.which("redis-server")
    if found is None and ENSURE_REDIS.exists():
        subprocess.run(["bash", str(ENSURE_REDIS)], check=False, timeout=600)
        found = shutil.which("redis-server")
    return found


def require_redis_server() -> str:
    """Return the path of redis-server (installed if missing); skip the test if none can be had."""
    binary = find_redis_server()
    if binary is None:
        pytest.skip(
            "redis-server is not installed and tests/queue/ensure_redis.sh could not install it "
            "(needs apt-get, dnf, yum, apk or brew, and root or password-less sudo)"
        )
    return binary


@contextlib.contextmanager
def redis_server(binary: str) -> Iterator[str]:
    """Run a throw-away redis-server on a free loopback port; yield its URL."""
    with redis_process(binary) as (url, _):
        yield url


@contextlib.contextmanager
def redis_process(binary: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Run a throw-away redis-server on a free loopback port; yield its URL and its process,
    which the caller may stop (SIGSTOP) and resume: it is resumed before it is terminated."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="queue-redis-") as workdir:
        proc = subprocess.Popen(
            [
                binary,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                workdir,
                "--daemonize",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:

            def answers() -> bool:
                if proc.poll() is not None:
                    raise RuntimeError(f"redis-server exited with {proc.returncode}")
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.2) as sock:
                        sock.sendall(b"PING\r\n")
                        return sock.recv(16).startswith(b"+PONG")
                except OSError:
                    return False

            wait_for(answers, timeout=10, what="redis-server")
            yield f"redis://127.0.0.1:{port}/0", proc
        finally:
            proc.send_signal(signal.SIGCONT)
            proc.terminate()
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@dataclass
class FakeCloud:
    """The standalone fake (``python -m hetzner_async.testing serve``) in a subprocess."""

    proc: subprocess.Popen[str]
    url: str
    token: str

    @property
    def base_url(self) -> str:
        return self.url.removesuffix("/v1")

    def admin(self, path: str, method: str = "GET") -> Any:
        request = urllib.request.Request(f"{self.base_url}/_fake/{path}", method=method)
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def stats(self) -> dict[str, Any]:
        stats: dict[str, Any] = self.admin("stats")
        return stats

    def servers(self) -> list[dict[str, Any]]:
        servers: list[dict[str, Any]] = self.admin("state")["servers"]
        return servers

    def reset(self) -> None:
        self.admin("reset", method="POST")


@contextlib.contextmanager
def fake_cloud(
    *,
    rate_limit: int = RATE_LIMIT,
    refill: float = REFILL,
    action_duration: float = ACTION_DURATION,
) -> Iterator[FakeCloud]:
    """Serve the fake cloud on a free port; yield where it listens."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "hetzner_async.testing",
            "serve",
            "--port",
            "0",
            "--token",
            TOKEN,
            "--rate-limit",
            str(rate_limit),
            "--refill-rate",
            str(refill),
            "--action-duration",
            str(action_duration),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # "Fake Hetzner Cloud API on http://127.0.0.1:N/v1 (...)"
        match = re.search(r"(http://\S+/v1)", line)
        if match is None:
            raise RuntimeError(f"the fake did not say where it listens: {line!r}")
        yield FakeCloud(proc, match.group(1), TOKEN)
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@dataclass
class Workers:
    """arq worker processes running ``queue_workers.worker.WorkerSettings``."""

    env: dict[str, str]
    logs: Path
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start(self, count: int) -> None:
        """Start ``count`` more workers and wait until each is ready for jobs."""
        started = []
        for _ in range(count):
            index = len(self.procs)
            log = (self.logs / f"worker-{index}.log").open("wb")
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "arq",
                    "--custom-log-dict",
                    "queue_workers.worker.LOG_CONFIG",
                    "queue_workers.worker.WorkerSettings",
                ],
                env=self.env,
                cwd=EXAMPLES,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            log.close()
            self.procs.append(proc)
            started.append(index)

        def ready() -> bool:
            for index in started:
                if self.procs[index].poll() is not None:
                    raise RuntimeError(f"worker {index} died:\n{self.log(index)}")
            return all("ready (shared budget" in self.log(index) for index in started)

        wait_for(ready, timeout=30, what="the workers to start")

    def log(self, index: int) -> str:
        return (self.logs / f"worker-{index}.log").read_text(errors="replace")

    def running_jobs(self, index: int) -> set[str]:
        """Return the IDs of the jobs worker ``index`` has started and not finished (its log)."""
        log = self.log(index)
        started = set(re.findall(r"→ (\S+?):provision_server", log))
        return started - set(re.findall(r"← (\S+?):provision_server", log))

    def kill(self, index: int) -> None:
        """SIGKILL one worker: no clean-up, its running jobs stay marked as in progress."""
        self.procs[index].send_signal(signal.SIGKILL)
        self.procs[index].wait(5)

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def worker_env(
    redis_url: str,
    fake: FakeCloud,
    *,
    queue: str,
    shared_budget: str | None,
    job_timeout: float = 10.0,
    max_jobs: int = 20,
    extra: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Return the environment of a worker that serves ``queue`` against the fake."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("QUEUE_", "HCLOUD_", "HETZNER_"))
    }
    pythonpath = [str(EXAMPLES), str(ROOT), env.get("PYTHONPATH", "")]
    env.update(
        PYTHONPATH=os.pathsep.join(p for p in pythonpath if p),
        REDIS_URL=redis_url,
        HCLOUD_TOKEN=fake.token,
        HCLOUD_ENDPOINT=fake.url,
        QUEUE_NAME=queue,
        QUEUE_MAX_JOBS=str(max_jobs),
        QUEUE_JOB_TIMEOUT=str(job_timeout),
        QUEUE_MAX_TRIES="5",
        QUEUE_POLL_INITIAL="0.1",
        QUEUE_POLL_CAP="0.3",
    )
    if shared_budget:
        env["QUEUE_SHARED_BUDGET"] = shared_budget
    env.update(extra or {})
    return env


def servers_named(fake: FakeCloud, prefix: str) -> Counter[str]:
    """Count the fake's servers by name, for names starting with ``prefix``."""
    return Counter(s["name"] for s in fake.servers() if s["name"].startswith(prefix))


# --- the measurement ------------------------------------------------------------------------------


async def _run_jobs(redis_url: str, queue: str, names: list[str]) -> list[Any]:
    sys.path.insert(0, str(EXAMPLES))
    from arq import create_pool
    from arq.connections import RedisSettings
    from queue_workers.enqueue import enqueue_provisioning

    redis = await create_pool(RedisSettings.from_dsn(redis_url))
    try:
        jobs = await enqueue_provisioning(redis, names, labels={"fleet": queue}, queue_name=queue)
        return [await job.result(timeout=120, poll_delay=0.1) for job in jobs]
    finally:
        await redis.aclose()


def measure(count: int = 300, workers: int = 3, rounds: int = 3) -> None:
    """Print the 429s of ``count`` jobs on ``workers`` workers, with and without Redis."""
    binary = find_redis_server()
    if binary is None:
        raise SystemExit("redis-server is not available")
    with redis_server(binary) as redis_url, tempfile.TemporaryDirectory() as logs:
        for round_ in range(rounds):
            for shared in (None, f"measure-{round_}"):
                with fake_cloud() as fake:
                    queue = f"measure-{round_}-{'shared' if shared else 'headers'}"
                    env = worker_env(redis_url, fake, queue=queue, shared_budget=shared)
                    pool = Workers(env, Path(logs))
                    pool.start(workers)
                    started = time.monotonic()
                    try:
                        names = [f"{queue}-{i:04d}" for i in range(count)]
                        asyncio.run(_run_jobs(redis_url, queue, names))
                    finally:
                        pool.stop()
                    stats = fake.stats()
                    print(
                        f"{'redis budget ' if shared else 'headers only '} "
                        f"429s={stats['rate_limited']:4d} requests={stats['total']:5d} "
                        f"servers={len(fake.servers())} seconds={time.monotonic() - started:.1f}",
                        flush=True,
                    )


if __name__ == "__main__":
    measure(*(int(arg) for arg in sys.argv[1:]))
