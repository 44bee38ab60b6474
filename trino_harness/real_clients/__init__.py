"""Real client programs (the Trino CLI, the JDBC driver, Python and Go clients) run as subprocesses.

Each client module prepares its program once (download from the client's own registry, build
with the machine's toolchain, cache under ``~/.cache/trino-harness/clients``) and turns a login
into an :class:`~trino_harness.real_clients.process.Invocation` whose secrets travel only in the
environment or in 0600 files, never on the command line.
"""
