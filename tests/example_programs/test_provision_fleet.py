"""The demo, examples/provision_fleet.py, end to end on the fake with a few quick servers."""

from __future__ import annotations

import asyncio
import io
import re
import signal
import sys
from types import ModuleType
from typing import Any

import aiohttp
import pytest
from fleet import run
from fleet.progress import CLOCK_WIDTH, Progress

from hetzner_async.testing import FakeConfig, FakeHetznerCloud

from .conftest import ROOT, eventually, run_program

#: Five servers whose actions take 50 ms, on a fake answering in a few milliseconds.
FAST = ["--servers", "5", "--concurrency", "5", "--action-duration", "0.05", "--latency", "0"]


class Terminal(io.StringIO):
    """Captured output that claims to be a terminal."""

    def isatty(self) -> bool:
        return True


def assert_empty(fake: FakeHetznerCloud) -> None:
    """Nothing the demo made is left: servers, their addresses, groups, network, key, firewall."""
    snapshot = fake.state.snapshot()
    for kind in ("servers", "firewalls", "ssh_keys", "networks", "placement_groups"):
        assert snapshot[kind] == [], kind
    assert snapshot["primary_ips"] == []


def summary_requests(output: str) -> int:
    match = re.search(r"requests\s+(\d+) spent, ([\d.]+) per server", output)
    assert match, output
    return int(match.group(1))


async def test_demo_provisions_and_deletes_everything(fleet: ModuleType) -> None:
    out = io.StringIO()
    async with FakeHetznerCloud(FakeConfig(action_duration=0.05)) as fake:
        status = await fleet.amain(FAST, out=out, fake=fake)
        assert status == fleet.OK
        assert_empty(fake)
        # The client counted every try the fake served.
        assert summary_requests(out.getvalue()) == fake.stats.total
        assert fake.stats.count("POST", "/servers", 201) == 5
        assert fake.stats.count("DELETE", "/servers/{id}") == 5
    output = out.getvalue()
    assert "5 servers running" in output
    assert "5 created, 5 running, 5 deleted, 0 left behind" in output
    assert re.search(r"wall time\s+[\d.]+ s", output)
    assert re.search(r"^\[\s*[\d.]+s\] ", output, re.MULTILINE)  # plain progress lines
    assert "\r" not in output
    assert fake.token not in output


async def test_demo_starts_its_own_fake_by_default(fleet: ModuleType) -> None:
    out = io.StringIO()
    status = await fleet.amain([*FAST, "--quiet"], out=out)
    output = out.getvalue()
    assert status == fleet.OK, output
    assert "0 left behind" in output
    assert "on http://127.0.0.1:" in output
    assert not re.search(r"^\[\s*[\d.]+s\] ", output, re.MULTILINE)  # --quiet


async def test_progress_is_one_line_redrawn_on_a_terminal(fleet: ModuleType) -> None:
    out = Terminal()
    assert await fleet.amain(FAST, out=out) == fleet.OK
    output = out.getvalue()
    assert "\r\x1b[K[" in output
    assert "Summary" in output


async def test_small_rate_limit_is_paced_and_counted(fleet: ModuleType) -> None:
    out = io.StringIO()
    config = FakeConfig(action_duration=0.05, rate_limit=10, rate_limit_refill=100.0)
    async with FakeHetznerCloud(config) as fake:
        status = await fleet.amain(FAST, out=out, fake=fake)
        assert status == fleet.OK
        assert_empty(fake)
    assert re.search(r"budget left\s+\d+/10", out.getvalue())


async def test_failed_action_mid_run_deletes_what_was_created(fleet: ModuleType) -> None:
    """One create fails while the others are still being created (and are locked)."""
    out = io.StringIO()
    async with FakeHetznerCloud(FakeConfig(action_duration=0.1)) as fake:
        fake.fail_next_action("create_server", message="no capacity in fsn1")
        args = ["--servers", "6", "--concurrency", "6", "--action-duration", "0.1"]
        status = await fleet.amain(args, out=out, fake=fake)
        assert status == fleet.FAILED
        assert_empty(fake)
    output = out.getvalue()
    assert "FAILED: ActionFailedError" in output
    assert "no capacity in fsn1" in output
    assert "0 left behind" in output


async def test_api_error_mid_run_deletes_what_was_created(fleet: ModuleType) -> None:
    """The project's server limit is hit after a few servers exist."""
    out = io.StringIO()
    async with FakeHetznerCloud(FakeConfig(action_duration=0.1)) as fake:
        args = ["--servers", "10", "--concurrency", "2", "--action-duration", "0.1"]
        run = asyncio.create_task(fleet.amain(args, out=out, fake=fake))
        await eventually(lambda: len(fake.state.servers) >= 3)
        fake.add_fault(
            kind="error",
            method="POST",
            path="/servers",
            status=403,
            code="resource_limit_exceeded",
            message="server limit reached",
        )
        assert await run == fleet.FAILED
        assert_empty(fake)
    output = out.getvalue()
    assert "FAILED: ResourceLimitError" in output
    assert "0 left behind" in output


async def test_cancelled_mid_run_deletes_what_was_created(fleet: ModuleType) -> None:
    """Ctrl-C reaches the demo as a cancellation of its task (asyncio.run does that)."""
    out = io.StringIO()
    async with FakeHetznerCloud(FakeConfig(action_duration=0.2)) as fake:
        args = ["--servers", "12", "--concurrency", "4", "--action-duration", "0.2"]
        run = asyncio.create_task(fleet.amain(args, out=out, fake=fake))
        await eventually(lambda: len(fake.state.servers) >= 3)
        run.cancel()
        with pytest.raises(asyncio.CancelledError):
            await run
        assert_empty(fake)
    output = out.getvalue()
    assert "stopped by an interrupt; deleting what was created" in output
    assert re.search(r"cleaned up: [1-9]\d* servers deleted, 0 left", output)


async def test_cancelled_while_deleting_finishes_the_clean_up(fleet: ModuleType) -> None:
    """The first Ctrl-C during the tear-down does not stop it halfway."""
    out = io.StringIO()
    async with FakeHetznerCloud(FakeConfig(action_duration=0.2)) as fake:
        args = ["--servers", "8", "--concurrency", "8", "--action-duration", "0.2"]
        run = asyncio.create_task(fleet.amain(args, out=out, fake=fake))
        await eventually(lambda: fake.stats.count("DELETE", "/servers/{id}") >= 1)
        run.cancel()
        with pytest.raises(asyncio.CancelledError):
            await run
        assert_empty(fake)
    assert "interrupted while deleting: finishing the clean-up" in out.getvalue()


def test_main_runs_the_demo(fleet: ModuleType) -> None:
    """``main`` (what the command line calls) runs asyncio itself and returns the status."""
    out = io.StringIO()
    assert fleet.main([*FAST, "--quiet"], out=out) == fleet.OK
    assert "0 left behind" in out.getvalue()


async def test_runs_as_a_program() -> None:
    code, stdout, stderr = await run_program(["examples/provision_fleet.py", *FAST])
    assert code == 0, stderr
    assert "Summary" in stdout
    assert "0 left behind" in stdout


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch, fleet: ModuleType) -> None:
    """Fail the test on any attempt to make a client or send a request."""

    def forbidden(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the demo tried to reach the network")

    monkeypatch.setattr(run, "HetznerClient", forbidden)
    monkeypatch.setattr(fleet, "FakeHetznerCloud", forbidden)
    monkeypatch.setattr(aiohttp.ClientSession, "_request", forbidden)


@pytest.mark.usefixtures("no_network")
async def test_real_without_a_token_is_refused(
    fleet: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("HCLOUD_TOKEN", raising=False)
    monkeypatch.delenv("HETZNER_API_TOKEN", raising=False)
    out = io.StringIO()
    assert await fleet.amain(["--real", "--yes"], out=out) == fleet.REFUSED
    assert "HCLOUD_TOKEN" in capsys.readouterr().err
    assert out.getvalue() == ""


@pytest.mark.usefixtures("no_network")
async def test_real_without_confirmation_shows_the_plan_and_stops(
    fleet: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = "secret-token-value-123"
    monkeypatch.setenv("HCLOUD_TOKEN", secret)
    monkeypatch.setattr(sys, "stdin", io.StringIO())  # not a terminal: nobody to ask
    out = io.StringIO()
    assert await fleet.amain(["--real", "--servers", "3"], out=out) == fleet.REFUSED
    assert "REAL Hetzner Cloud API" in out.getvalue()
    assert "3 x cx22 servers (debian-12) in fsn1" in out.getvalue()
    assert "--yes" in capsys.readouterr().err
    assert secret not in out.getvalue()


@pytest.mark.usefixtures("no_network")
async def test_real_declined_at_the_prompt_creates_nothing(
    fleet: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HCLOUD_TOKEN", "secret-token-value-123")
    monkeypatch.setattr(sys, "stdin", Terminal())
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    assert await fleet.amain(["--real"], out=io.StringIO()) == fleet.REFUSED


async def test_token_without_real_still_uses_the_fake(
    fleet: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HCLOUD_TOKEN", "secret-token-value-123")
    out = io.StringIO()
    assert await fleet.amain([*FAST, "--quiet"], out=out) == fleet.OK
    assert "on http://127.0.0.1:" in out.getvalue()
    assert "secret-token-value-123" not in out.getvalue()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process is POSIX")
async def test_ctrl_c_deletes_what_was_created_and_exits_130() -> None:
    """A real SIGINT: asyncio.run cancels the demo, which cleans up before it exits."""
    args = ["--servers", "40", "--concurrency", "4", "--action-duration", "0.3", "--latency", "0"]
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "examples/provision_fleet.py",
        *args,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    try:
        async with asyncio.timeout(30):
            line = b"-"
            while line and b"ssh key" not in line:  # wait for the demo to get going (or end)
                line = await process.stdout.readline()
            await asyncio.sleep(0.5)  # a few servers exist, a few are being created
            process.send_signal(signal.SIGINT)
            stdout, stderr = await process.communicate()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    output = stdout.decode()
    assert process.returncode == 130, output + stderr.decode()
    assert "stopped by an interrupt; deleting what was created" in output
    assert re.search(r"cleaned up: [1-9]\d* servers deleted, 0 left", output), output


def status_lines(output: str) -> list[str]:
    """Every status line drawn, in order, whether redrawn in place or printed one per line."""
    return re.findall(r"\[\s*[\d.]+s\] [^\r\n]*", output)


@pytest.mark.parametrize("out_type", [io.StringIO, Terminal], ids=["log", "terminal"])
async def test_status_lines_fit_80_columns_and_the_last_is_drawn_once(
    fleet: ModuleType, out_type: type[io.StringIO]
) -> None:
    out = out_type()
    assert await fleet.amain(FAST, out=out) == fleet.OK
    lines = status_lines(out.getvalue())
    assert lines
    assert max(len(line) for line in lines) <= 79
    assert sum(" done " in line for line in lines) == 1, lines
    assert " done " in lines[-1]
    # The last line counts every request of the run, as the summary does.
    last = re.search(r"\| (\d+) req, (\d+) 429s", lines[-1])
    assert last, lines[-1]
    assert int(last.group(1)) == summary_requests(out.getvalue())


def test_the_status_line_drops_the_least_useful_fields_first() -> None:
    progress = Progress(1000)
    progress.phase = "provisioning"
    progress.created, progress.running, progress.actions_pending = 1000, 999, 2001
    progress.requests, progress.throttled, progress.waits, progress.retries = 123456, 12, 345, 6

    class Client:
        rate_limit = None

    line = progress.line(Client())
    assert len(line) + CLOCK_WIDTH <= 79
    assert line.startswith("creating 1000/1000 created, 999 up | ")
    assert "budget ?" in line
    assert "123456 req, 12 429s" in line
    assert "retries" not in line
    assert "actions" not in line
