#!/bin/sh
# Build-time training run: start the pre-built Keycloak once (plain HTTP on localhost, inside the
# build only), wait until it has started, stop it. It leaves two things in the image that every
# container start would otherwise redo: the embedded database's schema and master realm, and a
# class-data archive of the classes it loaded (AppCDS, -XX:SharedArchiveFile at run time).
set -eu
archive=/opt/keycloak/data/keycloak.jsa
log=$(mktemp)
JAVA_OPTS_APPEND="-XX:ArchiveClassesAtExit=$archive" /opt/keycloak/bin/kc.sh start --optimized \
    --http-enabled=true --http-host=127.0.0.1 --http-port=8080 --hostname=http://localhost:8080 \
    --cache=local >"$log" 2>&1 &
pid=$!
tries=0
until grep -q "started in" "$log"; do
    tries=$((tries + 1))
    if [ "$tries" -gt 600 ] || ! kill -0 "$pid" 2>/dev/null; then
        tail -40 "$log" >&2
        echo "keycloak-train: the training server did not start" >&2
        exit 1
    fi
    sleep 0.5
done
kill -TERM "$pid"
wait "$pid" || true
[ -s "$archive" ] || { tail -20 "$log" >&2; echo "keycloak-train: no class-data archive" >&2; exit 1; }
rm -f "$log"
