"""Every python block of the README and the guides runs, against a fresh fake cloud each."""

from __future__ import annotations

import linecache
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

import hetzner_async._client
from hetzner_async import PollPolicy
from hetzner_async.testing import FakeConfig

from .code_blocks import ROOT, Block, all_blocks, fake_in_thread, program

BLOCKS = all_blocks()
RUNNABLE = [b for b in BLOCKS if b.kind in ("script", "with-client")]
TESTS = [b for b in BLOCKS if b.kind == "pytest"]

#: Actions of 50 ms; the client polls them every 10-50 ms instead of from 0.5 s on.
FAST = FakeConfig(action_duration=0.05)


def fast_poll(*args: object, **kwargs: object) -> PollPolicy:
    return PollPolicy(initial=0.01, cap=0.05)


def test_the_blocks_are_counted_by_kind() -> None:
    counts = Counter(block.kind for block in BLOCKS)
    print(f"python blocks: {dict(counts)}")  # shown with -s, and in the report
    assert counts["script"] + counts["with-client"] >= 10
    # A fragment is the exception: at most one in four blocks.
    assert counts["fragment"] * 4 <= len(BLOCKS), [b.where for b in BLOCKS if b.kind == "fragment"]


#: Columns of a code block the site shows without scrolling at 1280 px (Material's content
#: column between the navigation and the table of contents).
SITE_COLUMNS = 84


SITE = [b for b in BLOCKS if b.where.startswith("docs/")]


@pytest.mark.parametrize("block", SITE, ids=[b.where for b in SITE])
def test_site_blocks_fit_the_page(block: Block) -> None:
    wide = [line for line in block.code.splitlines() if len(line) > SITE_COLUMNS]
    assert not wide


@pytest.mark.parametrize("block", RUNNABLE, ids=[b.where for b in RUNNABLE])
def test_block_runs(block: Block, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hetzner_async._client, "PollPolicy", fast_poll)
    monkeypatch.chdir(ROOT)
    with fake_in_thread(FAST) as fake:
        monkeypatch.setenv("HCLOUD_ENDPOINT", fake.url)
        monkeypatch.setenv("HCLOUD_TOKEN", fake.token)
        source = program(block)
        # Tracebacks then show the block's lines.
        linecache.cache[block.where] = (len(source), None, source.splitlines(True), block.where)
        code = compile(source, block.where, "exec")
        exec(code, {"__name__": "__main__"})


@pytest.mark.parametrize("block", TESTS, ids=[b.where for b in TESTS])
def test_test_module_passes(block: Block, tmp_path: Path) -> None:
    ini = "[pytest]\nasyncio_default_fixture_loop_scope = function\n"
    (tmp_path / "pytest.ini").write_text(ini)
    (tmp_path / "test_from_the_docs.py").write_text(block.code)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
