"""What a target may lack, and how a check says so.

A remote profile describes only what its owners can give (no client CA key, no copy of the
coordinator's config, no audit database...). A check that needs a missing piece raises
:class:`MissingCapability`; the pytest plugin turns it into a skip whose reason names the profile
field to add, in one place, so a lacking profile never makes a check pass or error.
"""

from __future__ import annotations


class MissingCapability(Exception):
    """The target cannot support a check; ``add`` names what to put in the profile."""

    def __init__(self, what: str, add: str) -> None:
        self.what = what
        self.add = add
        super().__init__(f"the target has no {what}: add {add} to the profile")


class ReferenceStackOnly(MissingCapability):
    """A check only the harness's own reference stack can support (no profile field would help)."""

    def __init__(self, what: str, why: str) -> None:
        Exception.__init__(self, f"the target has no {what}: {why}; run it on the reference stack")
        self.what = what
        self.add = "nothing (reference stack only)"
