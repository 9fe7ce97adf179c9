"""The pytest plugin that gives a user's test suite a running fake Hetzner Cloud."""
