"""Describe the machine and the software a run used, for the results and the README."""

from __future__ import annotations

import importlib.metadata
import os
import platform
from typing import Any

__all__ = ["machine", "machine_line"]


def _version(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def machine() -> dict[str, Any]:
    """Describe the machine and the software the run used."""
    cpu = platform.processor() or platform.machine()
    memory_gb = None
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(
                (line.split(":", 1)[1].strip() for line in info if line.startswith("model name")),
                cpu,
            )
        with open("/proc/meminfo") as info:
            kib = int(next(line for line in info if line.startswith("MemTotal")).split()[1])
            memory_gb = round(kib / 1024 / 1024, 1)
    except (OSError, StopIteration, ValueError):
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": memory_gb,
        "os": platform.platform(),
        "python": platform.python_version(),
        "versions": {
            p: _version(p) for p in ("hetzner-async", "aiohttp", "hcloud", "requests", "matplotlib")
        },
    }


def machine_line(info: dict[str, Any]) -> str:
    """Return the machine as one sentence."""
    versions = ", ".join(f"{k} {v}" for k, v in info["versions"].items() if v)
    memory = f", {info['memory_gb']} GB RAM" if info.get("memory_gb") else ""
    return (
        f"{info['cpu']}, {info['cores']} cores{memory}, {info['os']}, "
        f"Python {info['python']}; {versions}"
    )
