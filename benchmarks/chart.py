"""Draw requests sent and the rate-limit budget over time, when matplotlib is installed."""

from __future__ import annotations

from itertools import accumulate
from pathlib import Path
from typing import Any

__all__ = ["chart"]

_COLOURS = {"hetzner_async": "tab:blue", "hcloud": "tab:orange", "aiohttp (floor)": "tab:gray"}
_CHARTED = ("fleet-delete-25", "fleet-delete-100", "fleet-200", "rate-limited", "scale-5k")


def chart(results: dict[str, Any], path: Path) -> bool:
    """Draw requests sent and the rate-limit budget over time; False without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    names = [n for n in _CHARTED if n in results["scenarios"]]
    if not names:
        return False
    fig, axes = plt.subplots(len(names), 2, figsize=(12, 3.4 * len(names)), squeeze=False)
    for row, name in enumerate(names):
        s = results["scenarios"][name]
        sent, budget = axes[row]
        for client, run in s["runs"].items():
            bins = run["timeline"]
            colour = _COLOURS.get(client)
            label = client + (" (stopped at cap)" if run["timed_out"] else "")
            sent.plot(bins["t"], list(accumulate(bins["requests"])), label=label, color=colour)
            if any(bins["throttled"]):
                sent.plot(
                    bins["t"],
                    list(accumulate(bins["throttled"])),
                    linestyle=":",
                    color=colour,
                    label=f"{client}: 429s",
                )
            points = [
                (t, r)
                for t, r in zip(bins["t"], bins["remaining_min"], strict=True)
                if r is not None
            ]
            if points:
                budget.plot(*zip(*points, strict=True), label=client, color=colour)
        sent.set_title(f"{name}: requests sent (cumulative)")
        sent.set_xlabel("seconds")
        sent.legend(fontsize="small")
        budget.set_title(f"{name}: RateLimit-Remaining")
        budget.set_xlabel("seconds")
        if s["scenario"]["rate_limit"] is None:
            budget.text(
                0.5, 0.5, "no rate limit", ha="center", va="center", transform=budget.transAxes
            )
        else:
            budget.set_ylim(bottom=0)
            budget.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True
