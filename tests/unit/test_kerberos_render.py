"""The Kerberos pieces render as the scenario declares, with secrets only in 0600 files."""

from trino_harness.render.files import SECRET_MODE
from trino_harness.render.kerberos import KerberosMaterials, coordinator_part, render_kdc_seed
from trino_harness.render.materials import RunMaterials
from trino_harness.render.trino_etc import render_trino_etc
from trino_harness.scenario.loader import load_scenario


def test_kdc_seed_holds_service_decoy_and_client_principals_with_secrets_0600():
    scenario = load_scenario()
    krb = scenario.kerberos
    assert krb is not None
    materials = KerberosMaterials.generate(krb)
    seed = render_kdc_seed(krb, materials, "trino")
    principals = seed.text("principals")
    assert "HTTP/trino@HARNESS.TEST - *" in principals
    assert "HTTP/other@HARNESS.TEST - *" in principals
    for row in krb.principals:
        assert f"{row.principal} - {materials.passwords[row.principal]}" in principals
    assert seed.files["principals"][1] == SECRET_MODE
    assert seed.files["master"][1] == SECRET_MODE
    assert seed.text("keytab-principals") == "HTTP/trino@HARNESS.TEST\n"


def test_coordinator_adds_kerberos_last_with_keytab_0600_and_an_escaped_mapping():
    scenario = load_scenario()
    assert scenario.kerberos is not None
    part = coordinator_part(scenario.kerberos, b"keytab-bytes", "trino")
    etc = render_trino_etc(scenario, RunMaterials.generate(scenario), [part])
    config = etc.text("config.properties")
    assert "http-server.authentication.type=CERTIFICATE,JWT,PASSWORD,KERBEROS\n" in config
    assert "http-server.authentication.krb5.principal-hostname=trino\n" in config
    # Java properties unescape once: \\. arrives as the regex \.
    assert "user-mapping.pattern=([a-z][a-z0-9_]*)@HARNESS\\\\.TEST\n" in config
    assert etc.files["kerberos/service.keytab"] == (b"keytab-bytes", SECRET_MODE)
    assert "kdc = kdc:88" in etc.text("kerberos/krb5.conf")
    assert "clockskew = 2" in etc.text("kerberos/krb5.conf")
