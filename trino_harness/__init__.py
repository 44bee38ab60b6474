"""Conformance and security test harness for Trino clusters."""

__version__ = "0.1.0"
