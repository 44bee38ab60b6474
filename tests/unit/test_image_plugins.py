"""The Trino image of an older release carries every plugin that release has, and nothing it lacks."""

from __future__ import annotations

from trino_harness.images.artifacts import REQUIRED_PLUGINS, plugins_for


def test_a_release_before_the_ldap_group_provider_gets_an_image_without_it():
    assert "ldap-group-provider" not in plugins_for("470")
    assert set(plugins_for("470")) == set(REQUIRED_PLUGINS) - {"ldap-group-provider"}


def test_the_current_release_gets_every_required_plugin():
    assert plugins_for("473") == REQUIRED_PLUGINS
    assert plugins_for("476") == REQUIRED_PLUGINS
