"""Benchmarks of hetzner_async against the official hcloud client and bare aiohttp.

Each scenario runs against the fake Hetzner Cloud in its own process; see ``README.md``.
"""
