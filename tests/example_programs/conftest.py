"""Load the programs of examples/ as modules (examples/ is not a package), and run them."""

from __future__ import annotations

import asyncio
import importlib.util
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
# The demo's parts, examples/fleet/, import as ``fleet`` (a program's own folder is on sys.path).
if str(EXAMPLES) not in sys.path:
    sys.path.insert(0, str(EXAMPLES))


def load_example(name: str) -> ModuleType:
    """Import ``examples/<name>.py`` under the module name ``examples_<name>``."""
    module_name = f"examples_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, EXAMPLES / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses look their module up while it executes
    spec.loader.exec_module(module)
    return module


async def run_program(
    args: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    unset: Sequence[str] = (),
    timeout: float = 300,
) -> tuple[int, str, str]:
    """Run ``python <args>`` from the repository root without blocking the event loop.

    The loop keeps serving a fake that the program may talk to. ``unset`` names environment
    variables to remove for the program. ``timeout`` only guards against a hang: a child pytest
    takes about 5 s alone, but over a minute on a 2-core machine that other work saturates.
    """
    environment = {k: v for k, v in os.environ.items() if k not in unset}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        *args,
        cwd=ROOT,
        env={**environment, **(env or {})},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        stdout, stderr = await asyncio.wait_for(process.communicate(), timeout)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode is not None
    return process.returncode, stdout.decode(), stderr.decode()


async def eventually(check: Callable[[], bool], timeout: float = 10.0) -> None:
    """Wait until ``check()`` holds, polling every 5 ms."""
    async with asyncio.timeout(timeout):
        while True:
            if check():
                return
            await asyncio.sleep(0.005)


@pytest.fixture(scope="session")
def fleet() -> ModuleType:
    """The demo, examples/provision_fleet.py."""
    return load_example("provision_fleet")
