"""The pytest plugin: fixtures and marker, run in a child pytest against a throwaway test file."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]

USER_TESTS = """
import aiohttp
import pytest

from hetzner_async.testing import FakeHetznerCloud


async def test_fake_is_fast_and_limited(hetzner_fake):
    assert isinstance(hetzner_fake, FakeHetznerCloud)
    assert hetzner_fake.url.startswith("http://127.0.0.1:")
    assert hetzner_fake.url.endswith("/v1")
    assert hetzner_fake.config.action_duration == 0.05
    async with aiohttp.ClientSession() as s:
        async with s.get(hetzner_fake.url + "/servers",
                         headers={"Authorization": "Bearer " + hetzner_fake.token}) as r:
            assert r.status == 200
            assert r.headers["RateLimit-Limit"] == "3600"


@pytest.mark.hetzner_fake(rate_limit=2, action_duration=0.01)
async def test_marker_overrides(hetzner_fake):
    assert hetzner_fake.config.rate_limit == 2
    assert hetzner_fake.config.action_duration == 0.01


async def test_client_talks_to_the_fake(hetzner_client, hetzner_fake):
    assert type(hetzner_client).__name__ == "HetznerClient"
    assert await hetzner_client.servers.list() == []
    assert hetzner_fake.stats.count(method="GET", path="/servers", status=200) == 1
"""


def test_fixtures_in_a_user_suite(tmp_path: Path) -> None:
    (tmp_path / "test_user.py").write_text(USER_TESTS)
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:hetzner_async",
            "-p",
            "hetzner_async.testing.pytest_plugin",
            "-o",
            "asyncio_mode=auto",
            "-o",
            "asyncio_default_fixture_loop_scope=function",
            "--strict-markers",
            "--rootdir",
            str(tmp_path),
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed" in result.stdout


def test_plugin_module_imports_nothing_of_the_fake() -> None:
    code = (
        "import sys, hetzner_async.testing.pytest_plugin as p; "
        "assert p.hetzner_fake; "
        "assert not [m for m in sys.modules if m.startswith('hetzner_async.testing.')"
        " and m != 'hetzner_async.testing.pytest_plugin'], sorted(sys.modules)"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=ROOT, timeout=30)
