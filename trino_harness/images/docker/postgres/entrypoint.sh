#!/bin/sh
# Initialise a fresh cluster from the harness seed, run the init SQL, then serve in the foreground.
set -eu
seed=/harness/postgres
data=/var/lib/postgresql/data
bin=/usr/local/pgbin
as_pg() { setpriv --reuid postgres --regid postgres --init-groups "$@"; }
for f in superuser-password init.sql tls/server.pem tls/server.key tls/ca.pem; do
    [ -f "$seed/$f" ] || { echo "postgres-entrypoint: missing $seed/$f" >&2; exit 2; }
done
rm -rf "$data"
mkdir -p "$data" /run/postgresql
chown -R postgres:postgres "$data" /run/postgresql
chmod 0700 "$data"
# Private copies readable by postgres: the seed may be a read-only bind mount owned by root.
work=$(mktemp -d)
install -o postgres -g postgres -m 0600 "$seed/superuser-password" "$work/superuser-password"
install -o postgres -g postgres -m 0600 "$seed/init.sql" "$work/init.sql"
chown postgres:postgres "$work"
as_pg "$bin/initdb" -D "$data" --username=postgres --pwfile="$work/superuser-password" \
    --auth-local=peer --auth-host=scram-sha-256 --encoding=UTF8 >/dev/null
install -o postgres -g postgres -m 0600 "$seed/tls/server.key" "$data/server.key"
install -o postgres -g postgres -m 0644 "$seed/tls/server.pem" "$data/server.pem"
install -o postgres -g postgres -m 0644 "$seed/tls/ca.pem" "$data/ca.pem"
cat >> "$data/postgresql.conf" <<CONF
listen_addresses = '*'
ssl = on
ssl_cert_file = 'server.pem'
ssl_key_file = 'server.key'
ssl_ca_file = 'ca.pem'
ssl_min_protocol_version = 'TLSv1.2'
password_encryption = 'scram-sha-256'
CONF
cat > "$data/pg_hba.conf" <<HBA
local   all all                 peer
hostssl all all 0.0.0.0/0       scram-sha-256
hostssl all all ::/0            scram-sha-256
# The catalog's own login may also connect in cleartext: the reference source leaves the choice to
# the catalog, so the live data-source check sees what the catalog chose (pg_stat_ssl).
host    warehouse trino_catalog 0.0.0.0/0 scram-sha-256
HBA
as_pg "$bin/pg_ctl" -D "$data" -o "-c listen_addresses=''" -w start >/dev/null
as_pg "$bin/psql" -v ON_ERROR_STOP=1 -q -X -U postgres -d postgres -f "$work/init.sql" >/dev/null
as_pg "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
rm -rf "$work"
echo "postgres-entrypoint: initialised, starting server"
exec setpriv --reuid postgres --regid postgres --init-groups "$bin/postgres" -D "$data"
