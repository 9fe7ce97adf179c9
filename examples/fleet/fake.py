"""The embedded fake cloud's settings for the options, and a poll policy that suits them."""

from __future__ import annotations

from hetzner_async import PollPolicy
from hetzner_async.testing import FakeConfig

from .options import Options


def fake_config(opts: Options) -> FakeConfig:
    """Return the embedded fake's settings for these options."""
    return FakeConfig(
        latency=opts.latency,
        latency_max=opts.latency_max,
        action_duration=opts.action_duration / 3,
        action_durations={"create_server": opts.action_duration},
        rate_limit=opts.rate_limit,
        rate_limit_refill=opts.refill_rate,
        seed=None,
    )


def fake_poll(opts: Options) -> PollPolicy:
    """Poll about as often as the fake's actions are short (the defaults suit the real API)."""
    initial = min(0.5, max(0.01, opts.action_duration / 6))
    return PollPolicy(initial=initial, cap=max(initial, min(5.0, opts.action_duration / 2)))
