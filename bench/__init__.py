"""Benchmarks: run one with `python -m bench.<name>`; numbers go in the README, not in tests."""
