"""The queue example's documented command lines parse as written; its docstrings read right."""

from __future__ import annotations

import re
import shlex

import pytest

from .cluster import EXAMPLES

README = EXAMPLES / "queue_workers" / "README.md"
COMMAND = re.compile(r"^python -m queue_workers\.enqueue (.+?)(?:\s+#.*)?$", re.MULTILINE)


def documented_commands() -> list[str]:
    return COMMAND.findall(README.read_text())


def test_the_readme_documents_enqueue_commands() -> None:
    assert len(documented_commands()) >= 2


@pytest.mark.parametrize("command", documented_commands())
def test_each_documented_command_parses(command: str) -> None:
    from queue_workers.enqueue import parse_args

    args = parse_args(shlex.split(command))
    assert args.command in ("provision", "deprovision")
    assert args.wait is ("--wait" in command)


@pytest.mark.parametrize(
    ("argv", "wait", "queue", "redis"),
    [
        ("provision --count 300 --wait", True, "hetzner:provision", "redis://localhost:6379/0"),
        ("--wait provision --count 3", True, "hetzner:provision", "redis://localhost:6379/0"),
        ("--queue q --wait deprovision --selector a=b", True, "q", "redis://localhost:6379/0"),
        ("deprovision --selector a=b --queue z --redis redis://r", False, "z", "redis://r"),
        ("--queue q provision --count 1 --queue z", False, "z", "redis://localhost:6379/0"),
    ],
)
def test_common_options_go_before_or_after_the_command(
    argv: str, wait: bool, queue: str, redis: str
) -> None:
    from queue_workers.enqueue import parse_args

    args = parse_args(argv.split())
    assert (args.wait, args.queue, args.redis) == (wait, queue, redis)


def test_the_worker_docstring_keeps_its_line_continuation() -> None:
    from queue_workers import worker

    assert worker.__doc__ is not None
    assert "LOG_CONFIG \\\n        queue_workers.worker.WorkerSettings" in worker.__doc__
