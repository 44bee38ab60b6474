"""Suites run through the trino_harness pytest plugin (registered as a pytest11 entry point).

Every check in here talks to a Target (the ephemeral reference stack, later a remote
profile) and is parameterized from the scenario's expectation tables.
"""
