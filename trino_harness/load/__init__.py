"""Load: what each way into Trino (authentication provider) costs per statement, under Locust.

Only :mod:`trino_harness.load.locust_user` imports Locust (which monkey-patches the process
with gevent); it is loaded by ``loadtests/locustfile.py`` inside the Locust subprocess, never
by the runner or by pytest.
"""
