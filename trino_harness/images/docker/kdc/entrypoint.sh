#!/bin/sh
# Create the realm and principals the harness rendered, export the service keytab, run the KDC.
# Secrets arrive in 0600 files and go to kdb5_util/kadmin.local on stdin, never as arguments.
set -eu
seed=/harness/kdc
for f in krb5.conf kdc.conf realm master principals keytab-principals; do
    [ -f "$seed/$f" ] || { echo "kdc-entrypoint: missing $seed/$f" >&2; exit 2; }
done
realm=$(cat "$seed/realm")
cp "$seed/krb5.conf" /etc/krb5.conf
mkdir -p /etc/krb5kdc /var/lib/krb5kdc /harness/out
cp "$seed/kdc.conf" /etc/krb5kdc/kdc.conf
: > /etc/krb5kdc/kadm5.acl
master=$(cat "$seed/master")
printf '%s\n%s\n' "$master" "$master" | kdb5_util create -s -r "$realm" >/dev/null
# principals: one "<principal> <maxlife-or-> <password-or-*>" per line; * means a random key.
while read -r principal maxlife password; do
    [ -n "$principal" ] || continue
    life=""
    [ "$maxlife" = "-" ] || life="-maxlife $maxlife"
    if [ "$password" = "*" ]; then
        echo "addprinc -randkey $life $principal"
    else
        echo "addprinc -pw $password $life $principal"
    fi
done < "$seed/principals" | kadmin.local -r "$realm" >/dev/null 2>&1
while read -r principal; do
    [ -n "$principal" ] || continue
    kadmin.local -r "$realm" -q "ktadd -norandkey -k /harness/out/service.keytab $principal" >/dev/null
done < "$seed/keytab-principals"
chmod 0600 /harness/out/service.keytab
# docker-compose shares /harness/out with the coordinator (uid 1000), which must read the keytab.
[ -z "${KEYTAB_OWNER:-}" ] || chown "$KEYTAB_OWNER" /harness/out/service.keytab
echo "kdc-entrypoint: realm $realm created with $(grep -c . "$seed/principals") principals, starting krb5kdc"
exec krb5kdc -n
