"""Locust users, one per way into Trino; run through `python -m trino_harness load` (see docs/load.md).

Each class runs the plan's statement (default ``SELECT 1``) through Trino's client protocol and
reports ``first-response`` and ``statement`` latencies. The identities, the target and the pacing
come from the plan file the runner writes (``TRINO_HARNESS_LOAD_PLAN``); the registry of ways
is ``trino_harness/load/ways.py``.
"""

from trino_harness.load.locust_user import TrinoUser


class Baseline(TrinoUser):
    way = "baseline"


class PasswordFile(TrinoUser):
    way = "password_file"


class Ldap(TrinoUser):
    way = "ldap"


class LdapNoCache(TrinoUser):
    way = "ldap_no_cache"


class Jwt(TrinoUser):
    way = "jwt"


class Certificate(TrinoUser):
    way = "certificate"


class Impersonation(TrinoUser):
    way = "impersonation"
