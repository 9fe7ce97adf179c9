"""A fake Hetzner Cloud API served over loopback HTTP, for tests, benchmarks and demos."""
