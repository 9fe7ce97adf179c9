"""Every example of examples/ runs against the fake, quickly, and leaves nothing behind."""

from __future__ import annotations

import asyncio
import re

import pytest

from hetzner_async import HetznerClient, PollPolicy
from hetzner_async.errors import ActionFailedError
from hetzner_async.models import ServerStatus
from hetzner_async.testing import FakeConfig, FakeHetznerCloud

from .conftest import EXAMPLES, load_example, run_program

FAST = FakeConfig(action_duration=0.05)
FAST_POLL = PollPolicy(initial=0.01, cap=0.05)


async def test_worker_pool_creates_every_job_then_deletes_them(
    capsys: pytest.CaptureFixture[str],
) -> None:
    example = load_example("worker_pool")
    servers = await example.main(["--jobs", "7", "--workers", "3"], config=FAST)
    assert [s.name.rsplit("-", 1)[1] for s in servers] == [str(n) for n in range(1, 8)]
    assert {s.status for s in servers} == {ServerStatus.RUNNING}
    output = capsys.readouterr().out
    assert "7 servers running, created by 3 workers" in output
    assert "deleted 7 servers" in output
    workers = set(re.findall(r"^worker (\d+):", output, re.MULTILINE))
    assert workers == {"1", "2", "3"}


async def test_worker_pool_failure_cancels_the_rest_and_cleans_up() -> None:
    example = load_example("worker_pool")
    async with (
        FakeHetznerCloud(FakeConfig(action_duration=0.1)) as fake,
        HetznerClient(fake.token, endpoint=fake.url, poll=FAST_POLL) as hz,
    ):
        fake.fail_next_action("start_server", message="host went away")
        with pytest.raises(ExceptionGroup) as failure:
            await example.run(hz, jobs=9, workers=3)
        assert failure.group_contains(ActionFailedError, match="host went away")
        assert fake.state.servers == {}


async def test_deprovision_deletes_the_matching_servers_but_the_protected_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    example = load_example("deprovision")
    report = await example.main(["env=staging"], config=FAST)
    assert sorted(s.name for s in report.deleted) == ["web-staging-1", "web-staging-2"]
    [error] = report.failed.values()
    assert type(error).__name__ == "ProtectedError"
    output = capsys.readouterr().out
    assert "left in the project: db-prod-1, db-staging-1, web-prod-1" in output


async def test_deprovision_dry_run_with_a_set_selector() -> None:
    example = load_example("deprovision")
    matching = await example.main(["role in (web,db),env!=production", "--dry-run"], config=FAST)
    assert [s.name for s in matching] == ["db-staging-1", "web-staging-1", "web-staging-2"]


async def test_firewall_rules(capsys: pytest.CaptureFixture[str]) -> None:
    example = load_example("firewall_rules")
    firewall = await example.main(FAST)
    assert [rule.description for rule in firewall.rules] == ["https", "ping", "node exporter"]
    output = capsys.readouterr().out
    assert re.search(r"web-1 is behind firewalls \[\d+\]", output)
    assert "firewall web deleted" in output


async def test_borrowed_session_stays_open_and_sees_the_sdk_requests() -> None:
    example = load_example("borrowed_session")
    seen = await example.main(FAST)
    # Two SDK requests and the application's own one, all through the one session.
    assert sum(seen.values()) == 3


async def test_the_pytest_example_passes_when_run_by_pytest() -> None:
    """examples/test_my_worker.py is outside testpaths, so it runs here in its own pytest.

    Once as the repository configures pytest (asyncio_mode=auto), once in strict mode as a
    user's suite may: the example marks its tests itself.
    """
    pytest_args = ["-m", "pytest", "-q", "-p", "no:cacheprovider"]
    target = str(EXAMPLES / "test_my_worker.py")
    runs = await asyncio.gather(
        run_program([*pytest_args, target]),
        run_program([*pytest_args, "-o", "asyncio_mode=strict", target]),
    )
    for code, stdout, stderr in runs:
        assert code == 0, stdout + stderr
        assert re.search(r"\b4 passed\b", stdout), stdout


async def test_each_runs_as_a_program() -> None:
    """Run as ``python examples/<name>.py``, at their own (realistic) speed, side by side."""
    programs = [
        ["examples/worker_pool.py", "--jobs", "4", "--workers", "2"],
        ["examples/deprovision.py"],
        ["examples/firewall_rules.py"],
        ["examples/borrowed_session.py"],
    ]
    results = await asyncio.gather(*(run_program(args) for args in programs))
    for args, (code, stdout, stderr) in zip(programs, results, strict=True):
        assert code == 0, f"{args[0]}: {stderr}"
        assert stdout, args[0]


async def test_quickstart_against_the_fake() -> None:
    """examples/quickstart.py honours HCLOUD_ENDPOINT, so it runs against a fake here."""
    async with FakeHetznerCloud(FAST) as fake:
        code, stdout, stderr = await run_program(
            ["examples/quickstart.py"],
            env={"HCLOUD_ENDPOINT": fake.url, "HCLOUD_TOKEN": fake.token},
        )
        assert code == 0, stderr
        assert "web-1: running" in stdout
        assert fake.state.servers == {}


async def test_quickstart_refuses_the_real_api_without_real() -> None:
    code, _, stderr = await run_program(
        ["examples/quickstart.py"], env={"HCLOUD_TOKEN": "x"}, unset=["HCLOUD_ENDPOINT"]
    )
    assert code != 0
    assert "--real" in stderr


async def test_examples_are_not_collected_by_the_repository_suite() -> None:
    """testpaths keeps examples/test_my_worker.py out of the suite's own run: no double run."""
    # Other modules' collection errors are not this test's business: collect past them.
    _, stdout, _ = await run_program(
        [
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-p",
            "no:cacheprovider",
            "--continue-on-collection-errors",
        ]
    )
    assert "tests/example_programs/test_examples.py" in stdout
    assert "examples/test_my_worker.py" not in stdout
