"""The standalone fake (``python -m hetzner_async.testing serve``) as a real process.

The official clients talk HTTP to it exactly as they would to ``https://api.hetzner.cloud/v1``;
nothing of the fake runs in the test process.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import struct
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from ..queue.cluster import free_port, wait_for

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "interop-test-token"
#: Short enough that a cycle of dozens of actions takes well under a second of waiting.
ACTION_DURATION = 0.05


@dataclass
class StandaloneFake:
    """Where a running standalone fake listens, and its admin API (``/_fake``)."""

    proc: subprocess.Popen[bytes]
    url: str  # ends in /v1, as the clients' endpoint settings expect
    token: str
    log: Path

    @property
    def base_url(self) -> str:
        return self.url.removesuffix("/v1")

    def admin(self, path: str, method: str = "GET") -> Any:
        request = urllib.request.Request(f"{self.base_url}/_fake/{path}", method=method)
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def reset(self) -> None:
        self.admin("reset", method="POST")

    def state(self) -> dict[str, Any]:
        state: dict[str, Any] = self.admin("state")
        return state

    def api(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """Call ``/v1`` directly (set-up of a step that another test covers)."""
        request = urllib.request.Request(
            f"{self.url}{path}",
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:
            raise AssertionError(f"{method} {path}: {exc.code} {exc.read().decode()}") from None
        return json.loads(raw) if raw else None

    def create_server(self, name: str, **fields: Any) -> dict[str, Any]:
        """Create a server with names only (what every client and fake agree on); wait for it."""
        body = {
            "name": name,
            "server_type": "cx22",
            "image": "debian-12",
            "location": "fsn1",
            **fields,
        }
        created = self.api("POST", "/servers", body)
        action_ids = [created["action"]["id"]] + [a["id"] for a in created["next_actions"]]
        for action_id in action_ids:
            self.wait_action(action_id)
        server: dict[str, Any] = self.api("GET", f"/servers/{created['server']['id']}")["server"]
        return server

    def wait_action(self, action_id: int) -> None:
        def finished() -> bool:
            status = self.api("GET", f"/actions/{action_id}")["action"]["status"]
            return bool(status != "running")

        wait_for(finished, timeout=10, interval=0.01, what=f"action {action_id}")


def _answers(proc: subprocess.Popen[bytes], base_url: str, log: Path) -> bool:
    if proc.poll() is not None:
        raise RuntimeError(
            f"the standalone fake exited with {proc.returncode}:\n{log.read_text(errors='replace')}"
        )
    try:
        with urllib.request.urlopen(f"{base_url}/_fake/state", timeout=1) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def _spawn(port: int, action_duration: float, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "hetzner_async.testing",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--token",
                TOKEN,
                "--action-duration",
                str(action_duration),
                # The cycles send a few hundred requests; the clients' 429 handling is not what
                # these tests are about.
                "--no-rate-limit",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextlib.contextmanager
def standalone_fake(*, action_duration: float = ACTION_DURATION) -> Iterator[StandaloneFake]:
    """Run ``python -m hetzner_async.testing serve`` on a free loopback port for the block."""
    with tempfile.TemporaryDirectory(prefix="interop-fake-") as workdir:
        log = Path(workdir) / "fake.log"
        # A port found free can be taken by another process before the fake binds it: then the
        # fake exits at once, and another port is tried.
        for attempt in range(3):
            port = free_port()
            proc = _spawn(port, action_duration, log)
            base_url = f"http://127.0.0.1:{port}"
            try:
                wait_for(partial(_answers, proc, base_url, log), timeout=15, what="the fake")
                break
            except RuntimeError:
                _stop(proc)
                if attempt == 2:
                    raise
            except BaseException:
                _stop(proc)
                raise
        try:
            yield StandaloneFake(proc, f"{base_url}/v1", TOKEN, log)
        finally:
            _stop(proc)


def public_key(comment: str) -> str:
    """Return a well-formed ed25519 public key, different for each comment."""
    algorithm = b"ssh-ed25519"
    key = hashlib.sha256(comment.encode()).digest()  # 32 bytes, as an ed25519 key
    blob = struct.pack(">I", len(algorithm)) + algorithm + struct.pack(">I", len(key)) + key
    return f"ssh-ed25519 {base64.b64encode(blob).decode()} {comment}"
