"""Benchmarks that print the figures the issues ask for; run each as ``python -m bench.<name>``."""
