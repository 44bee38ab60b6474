"""Load: what each way into Trino (authentication provider) costs per statement, under Locust.

Only :mod:`trino_harness.load.locust_user` imports Locust (which monkey-patches the process
with gevent); it is loaded by the locustfile (``trino_harness/load/locustfile.py``, shown as
``loadtests/locustfile.py`` in a checkout) inside the Locust subprocess, never by the runner or
by pytest.
"""
