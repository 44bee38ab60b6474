"""The stack's OpenLDAP: the directory Trino's LDAP authenticator and group provider read, over LDAPS.

Seeded with every scenario user and group (only LDAP users have a password) and a read-only
lookup account; ready once ``slapd`` says it is starting.
"""

from __future__ import annotations

from trino_harness.render.ldap import render_ldap_seed
from trino_harness.render.materials import LDAP_ALIAS
from trino_harness.stack.service import Service, ready_on_log

LDAPS_PORT = 636


OPENLDAP = Service(
    role="ldap",
    alias=LDAP_ALIAS,
    image=lambda images: images.ldap,
    image_env="LDAP_IMAGE",
    seed=lambda run: render_ldap_seed(run.scenario, run.materials),
    seed_dir="/harness/ldap",
    ports=(LDAPS_PORT,),
    ready=ready_on_log("slapd starting", 60),
)
