#!/bin/sh
# Start the pre-built Keycloak over HTTPS only. The harness seeds /harness/keycloak with the
# server certificate and key, the public URL (hostname) and the admin bootstrap password, which
# reaches Keycloak through its environment, never as a command-line argument.
set -eu
seed=/harness/keycloak
for f in tls.crt tls.key hostname admin-password; do
    [ -f "$seed/$f" ] || { echo "keycloak-entrypoint: missing $seed/$f" >&2; exit 2; }
done
KC_BOOTSTRAP_ADMIN_USERNAME=admin
KC_BOOTSTRAP_ADMIN_PASSWORD=$(cat "$seed/admin-password")
export KC_BOOTSTRAP_ADMIN_USERNAME KC_BOOTSTRAP_ADMIN_PASSWORD
exec /opt/keycloak/bin/kc.sh start --optimized \
    --hostname="$(cat "$seed/hostname")" \
    --cache=local --http-enabled=false --https-port=8443 \
    --https-certificate-file="$seed/tls.crt" --https-certificate-key-file="$seed/tls.key"
