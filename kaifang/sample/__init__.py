"""Realistic raw exports of the branch's systems, for demos, tests and benchmarks (`kaifang sample`)."""
