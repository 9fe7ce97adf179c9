"""A fresh clone builds an sdist and a wheel that PyPI would accept; the wheel installs and works.

One test, in steps: clone the repository (what is committed, as CI has it), build both
distributions from the clone with the build backend already installed (no download), check them
with ``twine check --strict``, install the wheel into a new venv and run a program there against
the fake cloud the wheel ships. The new venv gets the dependencies by a ``.pth`` line to this
environment's site-packages, so nothing is fetched; the package itself comes from the wheel.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

from hetzner_async import __version__

ROOT = Path(__file__).resolve().parents[2]
WHEEL = f"hetzner_async-{__version__}-py3-none-any.whl"
SDIST = f"hetzner_async-{__version__}.tar.gz"

SMOKE = """
import asyncio, importlib.metadata as metadata, pathlib, sys
import hetzner_async
from hetzner_async import HetznerClient
from hetzner_async.testing import FakeConfig, FakeHetznerCloud

assert pathlib.Path(hetzner_async.__file__).is_relative_to(sys.prefix), hetzner_async.__file__
assert metadata.version("hetzner-async") == hetzner_async.__version__
plugins = {e.name: e.value for e in metadata.entry_points(group="pytest11")}
assert plugins["hetzner_async"] == "hetzner_async.testing.pytest_plugin", plugins

async def main():
    async with FakeHetznerCloud(FakeConfig()) as fake:
        async with HetznerClient(fake.token, endpoint=fake.url) as hz:
            print(len(await hz.locations.list()), "locations")

asyncio.run(main())
"""


def run(*args: str | Path, cwd: Path | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, f"{args}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def source_tree(tmp_path: Path) -> Path:
    """Return a fresh clone of the repository (its committed state), or the tree itself."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        return ROOT  # an unpacked sdist: build from what is there
    clone = tmp_path / "clone"
    run("git", "clone", "--quiet", "--no-hardlinks", ROOT, clone)
    return clone


@pytest.mark.packaging
def test_a_fresh_clone_builds_checks_and_installs(tmp_path: Path) -> None:
    source = source_tree(tmp_path)
    dist = tmp_path / "dist"
    run(sys.executable, "-m", "build", "--no-isolation", "--outdir", dist, source)
    assert sorted(p.name for p in dist.iterdir()) == [WHEEL, SDIST]
    assert "PASSED" in run(sys.executable, "-m", "twine", "check", "--strict", *dist.iterdir())

    with zipfile.ZipFile(dist / WHEEL) as wheel:
        names = set(wheel.namelist())
        metadata = wheel.read(f"hetzner_async-{__version__}.dist-info/METADATA").decode()
    assert "hetzner_async/py.typed" in names
    assert f"hetzner_async-{__version__}.dist-info/licenses/LICENSE" in names
    assert not any(name.startswith(("tests/", "docs/", "examples/")) for name in names)
    assert "License-Expression: MIT" in metadata
    assert re.search(r"^Project-URL: Documentation, https://", metadata, re.MULTILINE)
    assert "Provides-Extra: redis" in metadata
    with tarfile.open(dist / SDIST) as sdist:
        members = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert {"LICENSE", "README.md", "CHANGELOG.md", "pyproject.toml"} <= members
    assert not any(name.startswith("docs/screenshots/") for name in members)

    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps",
        "--no-index", dist / WHEEL)  # fmt: skip
    site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))").strip())
    (site / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    assert run(python, "-c", SMOKE, cwd=tmp_path).strip().endswith("locations")


def test_the_readme_installs_the_wheel_the_build_makes() -> None:
    readme = (ROOT / "README.md").read_text()
    assert f"pip install dist/{WHEEL}" in readme
    assert "pip install hetzner-async" in readme
    assert "hetzner-async[redis]" in readme
