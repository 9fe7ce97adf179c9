"""The official Hetzner Cloud CLI (``hcloud``, on hcloud-go) run against the standalone fake."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENSURE_HCLOUD = Path(__file__).with_name("ensure_hcloud.sh")


def find_hcloud() -> str | None:
    """Return the path of ``hcloud``, installing it with ensure_hcloud.sh if it is missing."""
    found = shutil.which("hcloud")
    if found is None:
        subprocess.run(["bash", str(ENSURE_HCLOUD)], check=False, timeout=600)
        found = shutil.which("hcloud")
    return found


@dataclass
class HcloudCli:
    """Runs ``hcloud`` with its token and endpoint pointed at the fake, and no user config."""

    binary: str
    env: dict[str, str]

    @classmethod
    def for_fake(cls, binary: str, url: str, token: str, config: Path) -> HcloudCli:
        # Nothing of the user's own set-up may leak in: another HCLOUD_* variable (a context, a
        # token) would point the CLI elsewhere, and the config file could hold a real token.
        env = {k: v for k, v in os.environ.items() if not k.startswith("HCLOUD_")}
        env.update(HCLOUD_TOKEN=token, HCLOUD_ENDPOINT=url, HCLOUD_CONFIG=str(config))
        return cls(binary, env)

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run ``hcloud <args>``, polling actions every 10 ms (its default is 500 ms)."""
        return subprocess.run(
            [self.binary, "--poll-interval", "10ms", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    def __call__(self, *args: str) -> str:
        """Run ``hcloud <args>``; return its output, failing the test on a non-zero exit."""
        done = self.run(*args)
        if done.returncode != 0:
            raise AssertionError(
                f"hcloud {' '.join(args)} exited with {done.returncode}: {done.stderr.strip()}"
            )
        return done.stdout

    def json(self, *args: str) -> Any:
        """Run a list or describe command with ``-o json``; return the decoded output."""
        return json.loads(self(*args, "-o", "json"))

    def list(self, *args: str) -> list[dict[str, Any]]:
        """Run a list command with ``-o json``; the CLI prints ``null`` for an empty list."""
        items: list[dict[str, Any]] | None = self.json(*args)
        return items or []

    def fails(self, *args: str) -> str:
        """Run a command that must fail; return its error output."""
        done = self.run(*args)
        assert done.returncode != 0, f"hcloud {' '.join(args)} succeeded: {done.stdout}"
        return done.stderr
