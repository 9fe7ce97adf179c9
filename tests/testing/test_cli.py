"""The standalone server: start it as a subprocess, call it, stop it with SIGTERM."""

import json
import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

from hetzner_async.testing.__main__ import config_from, parse_args

ROOT = Path(__file__).parents[2]


def test_arguments_map_to_config() -> None:
    args = parse_args(
        [
            "serve",
            "--port",
            "0",
            "--token",
            "t",
            "--action-duration",
            "0.1",
            "--no-rate-limit",
            "--latency",
            "0.01",
            "--latency-max",
            "0.02",
        ]
    )
    config = config_from(args)
    assert config.token == "t"
    assert config.action_duration == 0.1
    assert config.rate_limit is None
    assert (config.latency, config.latency_max) == (0.01, 0.02)
    assert config_from(parse_args(["serve"])).rate_limit == 3600


def test_serve_subprocess() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "hetzner_async.testing",
            "serve",
            "--port",
            "0",
            "--token",
            "dev",
            "--rate-limit",
            "100",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("Fake Hetzner Cloud API on "), line
        url = line.split(" on ")[1].split(" ")[0]
        assert url.startswith("http://127.0.0.1:")
        assert url.endswith("/v1")
        request = urllib.request.Request(
            url + "/locations", headers={"Authorization": "Bearer dev"}
        )
        with urllib.request.urlopen(request, timeout=3) as resp:
            assert resp.status == 200
            assert resp.headers["RateLimit-Limit"] == "100"
            names = [loc["name"] for loc in json.load(resp)["locations"]]
        assert {"fsn1", "nbg1", "hel1", "ash"} <= set(names)
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=5)
    assert proc.returncode == 0, err
    assert "stopped" in out
