"""Benchmarks (`make bench`): scripts that print figures, never part of `make test`."""
