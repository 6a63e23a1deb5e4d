"""Benchmarks and load generators; never part of `make test`."""
