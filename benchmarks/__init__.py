"""Reproducible performance measurements, each a ratio against a named baseline.

Run with ``./dev bench [NAME...]``. Each benchmark runs the baseline and testlearn side by
side on the same input, in fresh processes, and prints both figures and their ratio.
"""
