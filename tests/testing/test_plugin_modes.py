"""The pytest plugin in a user's project: pytest-asyncio's strict mode (its default) and auto mode.

Each case is a tiny project in a temporary directory (its own pytest.ini, nothing else), run by a
child pytest that finds the plugin through the package's entry point, as a user's would.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

# Named in the test's arguments: the plugin marks it for strict mode, auto mode runs it anyway.
DIRECT = """
async def test_direct(hetzner_client, hetzner_fake):
    key = await hetzner_client.ssh_keys.create(name="ops", public_key=KEY)
    assert [k.name for k in await hetzner_client.ssh_keys.list()] == ["ops"]
    assert hetzner_fake.stats.count("POST", "/ssh_keys", 201) == 1
"""

# Reached through a fixture of the user's own: strict mode needs the mark, as said.
INDIRECT = """
import pytest_asyncio

@pytest_asyncio.fixture
async def keys(hetzner_client):
    return hetzner_client.ssh_keys

async def test_indirect(keys):
    assert await keys.list() == []
"""

# What the docs tell a strict-mode user to write for the indirect case.
INDIRECT_MARKED = "\nimport pytest\n\npytestmark = pytest.mark.asyncio\n" + INDIRECT

KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGbYJ3Lm1m5k6ZTnJ3y0mS2fWJcKuU8bbTgW4mSgA0hX"
HEADER = f"KEY = {KEY!r}\n"


DEPRECATION = "pytest.PytestDeprecationWarning"
PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]


def run_project(tmp_path: Path, ini: str, *tests: str) -> subprocess.CompletedProcess[str]:
    """Run pytest in a project of one test module per text (test_user.py, test_user_2.py)."""
    (tmp_path / "pytest.ini").write_text(ini)
    for n, text in enumerate(tests, 1):
        (tmp_path / f"test_user{'' if n == 1 else f'_{n}'}.py").write_text(HEADER + text)
    return subprocess.run(
        # Any warning fails, except pytest-asyncio's own about an unset fixture loop scope.
        [*PYTEST, "-W", "error", "-W", f"ignore:The configuration option:{DEPRECATION}"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("ini", "tests"),
    [
        ("[pytest]\n", (DIRECT, INDIRECT_MARKED)),
        ("[pytest]\nasyncio_mode = strict\n", (DIRECT, INDIRECT_MARKED)),
        ("[pytest]\nasyncio_mode = auto\n", (DIRECT, INDIRECT)),
    ],
    ids=["default", "strict", "auto"],
)
def test_the_fixtures_run_in_every_mode_as_documented(
    tmp_path: Path, ini: str, tests: tuple[str, str]
) -> None:
    result = run_project(tmp_path, ini, *tests)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout


def test_strict_mode_says_what_an_indirect_user_needs(tmp_path: Path) -> None:
    result = run_project(tmp_path, "[pytest]\n", INDIRECT)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "test_user.py::test_indirect is an async test that uses hetzner_client" in result.stdout
    assert "@pytest.mark.asyncio" in result.stdout
    assert 'asyncio_mode = "auto"' in result.stdout
    assert "not natively supported" not in result.stdout
