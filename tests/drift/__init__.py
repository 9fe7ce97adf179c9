"""Drift tests: the tolerant reader against variants of the spec's example answers."""
