#!/bin/sh
# Load the harness-rendered configuration and directory, then run slapd in the foreground.
set -eu
seed=/harness/ldap
for f in config.ldif data.ldif tls/ca.pem tls/server.pem tls/server.key; do
    [ -f "$seed/$f" ] || { echo "ldap-entrypoint: missing $seed/$f" >&2; exit 2; }
done
rm -rf /etc/ldap/slapd.d /var/lib/ldap /etc/ldap/tls
mkdir -p /etc/ldap/slapd.d /var/lib/ldap /run/slapd /etc/ldap/tls
cp "$seed"/tls/* /etc/ldap/tls/
slapadd -q -n0 -F /etc/ldap/slapd.d -l "$seed/config.ldif"
slapadd -q -n1 -F /etc/ldap/slapd.d -l "$seed/data.ldif"
chown -R openldap:openldap /etc/ldap/slapd.d /var/lib/ldap /run/slapd /etc/ldap/tls
chmod 0600 /etc/ldap/tls/server.key
echo "ldap-entrypoint: directory loaded, starting slapd"
exec slapd -h "ldaps:/// ldap:/// ldapi:///" -u openldap -g openldap -F /etc/ldap/slapd.d -d "${SLAPD_DEBUG:-stats}"
