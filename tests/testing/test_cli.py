"""The standalone server: start it as a subprocess, call it, stop it with SIGTERM."""

import json
import os
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

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


def test_help_shows_the_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        parse_args(["serve", "--help"])
    assert info.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    for default in ("(default: 8080)", "(default: dev)", "(default: 127.0.0.1)", "(default: 3600)"):
        assert default in text


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["--rate-limit", "-5"], "--rate-limit"),
        (["--rate-limit", "0"], "--rate-limit"),
        (["--rate-limit", "1.5"], "--rate-limit"),
        (["--refill-rate", "0"], "--refill-rate"),
        (["--action-duration", "-1"], "--action-duration"),
        (["--latency", "-0.1"], "--latency"),
        (["--latency-max", "x"], "--latency-max"),
        (["--latency", "0.2", "--latency-max", "0.1"], "--latency-max"),
        (["--port", "70000"], "--port"),
        (["--port", "-1"], "--port"),
    ],
)
def test_invalid_numbers_are_refused(
    argv: list[str], named: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        parse_args(["serve", *argv])
    assert info.value.code == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert f"error: argument {named}:" in last
    assert "Traceback" not in last


def test_zero_durations_are_allowed() -> None:
    config = config_from(parse_args(["serve", "--action-duration", "0", "--latency", "0"]))
    assert (config.action_duration, config.latency) == (0.0, 0.0)


def test_a_port_in_use_is_one_line_and_exit_1() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
        }
        result = subprocess.run(
            [sys.executable, "-m", "hetzner_async.testing", "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=30,
        )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        f"python -m hetzner_async.testing: error: cannot serve on 127.0.0.1:{port}: "
        "Address already in use"
    ]
