#!/bin/sh
# Start the pre-built Keycloak over HTTPS only. The harness seeds /harness/keycloak with the
# server certificate and key, the public URL (hostname), the admin bootstrap password (it reaches
# Keycloak through its environment, never as a command-line argument) and the realms to import as
# it starts (import/*.json, 0600: they hold the client secrets and user passwords).
set -eu
seed=/harness/keycloak
for f in tls.crt tls.key hostname admin-password; do
    [ -f "$seed/$f" ] || { echo "keycloak-entrypoint: missing $seed/$f" >&2; exit 2; }
done
KC_BOOTSTRAP_ADMIN_USERNAME=admin
KC_BOOTSTRAP_ADMIN_PASSWORD=$(cat "$seed/admin-password")
export KC_BOOTSTRAP_ADMIN_USERNAME KC_BOOTSTRAP_ADMIN_PASSWORD
# The classes the image's training run loaded (train.sh); a JVM that cannot use it starts without.
JAVA_OPTS_APPEND="-XX:SharedArchiveFile=/opt/keycloak/data/keycloak.jsa"
export JAVA_OPTS_APPEND
mkdir -p /opt/keycloak/data/import
cp "$seed"/import/*.json /opt/keycloak/data/import/
exec /opt/keycloak/bin/kc.sh start --optimized --import-realm \
    --hostname="$(cat "$seed/hostname")" \
    --cache=local --http-enabled=false --https-port=8443 \
    --https-certificate-file="$seed/tls.crt" --https-certificate-key-file="$seed/tls.key"
