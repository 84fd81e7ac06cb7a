#!/usr/bin/env bash
# daemon.sh - mxbounce-filter in daemon mode, mxbounced, a real PostgreSQL
#
# usage: daemon.sh MXBOUNCE_FILTER MXBOUNCED MXBOUNCE SOURCE_DIR
#
# The filter hands each message to mxbounced over a Unix socket; the
# daemon records it with a pooled connection and answers after the commit.
# Checks the same contract as filter_db.sh where the daemon changes it:
# rows, redelivery, every environmental failure deferring (75) and then
# recording once — the daemon down, the database restarted under its pool,
# a held lock — and a foreign request on the socket.
set -uo pipefail

FILTER=$1 DAEMON=$2 MXBOUNCE=$3 SRC=$4
FIX=$SRC/tests/fixtures
TMP=$(mktemp -d /tmp/mxb-dt.XXXXXX)
chmod 755 "$TMP"
PG=$TMP/pg SOCK=$TMP/mxbounced.sock
DPID=

stop_daemon() {
    [ -n "$DPID" ] || return 0
    kill "$DPID" 2>/dev/null
    wait "$DPID" 2>/dev/null
    DPID=
}
cleanup() {
    [ -n "${LOCKER:-}" ] && kill "$LOCKER" 2>/dev/null
    stop_daemon
    "$SRC/scripts/pgtmp" stop "$PG" >/dev/null 2>&1
    rm -rf "$TMP"
}
trap cleanup EXIT

. "$SRC/tests/lib.sh"

CONNINFO=$("$SRC/scripts/pgtmp" start "$PG") || { echo "Bail out! cannot start PostgreSQL"; exit 1; }
count() { sql "SELECT count(*) FROM mxbounce.$1"; }

# One file for both: the daemon reads [database] and [daemon], the filter
# [filter] and [daemon] socket.
cat >"$TMP/mxbounce.conf" <<EOF
[database]
conninfo = $CONNINFO
connect_timeout = 2
[filter]
mode = daemon
log = stderr
deadline = 3
[daemon]
socket = $SOCK
workers = 4
EOF
# The filter side alone: no password, no conninfo at all.
cat >"$TMP/filter.conf" <<EOF
[filter]
mode = daemon
deadline = 3
[daemon]
socket = $SOCK
EOF
"$MXBOUNCE" migrate -c "$TMP/mxbounce.conf" >/dev/null || { echo "Bail out! migrate failed"; exit 1; }

start_daemon() {
    "$DAEMON" -c "$TMP/mxbounce.conf" 2>>"$TMP/daemon.log" &
    DPID=$!
    for _ in $(seq 1 50); do [ -S "$SOCK" ] && return 0; sleep 0.1; done
    echo "Bail out! mxbounced did not start"; cat "$TMP/daemon.log"; exit 1
}
run_filter() { # run_filter FILE QUEUEID [CONF]
    OUT=$("$FILTER" -c "${3:-$TMP/filter.conf}" -- "$2" "" "b+tok@bounces.example.com" \
        "b+tok@bounces.example.com" "192.0.2.7" <"$1" 2>/dev/null)
    RC=$?
}

# --- the filter without a daemon defers --------------------------------------
run_filter "$FIX/dsn-postfix-user-unknown.eml" "D00001"
check "no daemon: exit 75" "$RC|$OUT" "75|4.3.0 mxbounce: daemon unavailable"

start_daemon
# --- recorded with the right fields, through the daemon ----------------------
run_filter "$FIX/dsn-postfix-user-unknown.eml" "D00002"
check "bounce: exit 0, nothing printed" "$RC|$OUT" "0|"
check "bounce: event row" \
    "$(sql "SELECT concat_ws('|', queue_id, envelope_recipient, recipient, status, class, reason) FROM mxbounce.events")" \
    "D00002|b+tok@bounces.example.com|alice@example.net|5.1.1|hard|user_unknown"
check "bounce: envelope from the filter's argv" \
    "$(sql "SELECT concat_ws('|', coalesce(envelope_sender, '<>'), original_recipient, client_address) FROM mxbounce.reports")" \
    "<>|b+tok@bounces.example.com|192.0.2.7"
check "bounce: raw bytes intact through the socket" \
    "$(sql "SELECT encode(sha256(content), 'hex') FROM mxbounce.raw_messages")" \
    "$(sha256sum <"$FIX/dsn-postfix-user-unknown.eml" | cut -d' ' -f1)"
check "bounce: the daemon logged one line" "$(grep -c 'D00002: result=recorded' "$TMP/daemon.log")" 1

run_filter "$FIX/dsn-postfix-user-unknown.eml" "D00003"
check "redelivery: exit 0, still one event" "$RC|$(count events)" "0|1"

# Only the three required arguments: empty fields travel as empty arrays.
sed 's/alice@example.net/three@example.net/g' "$FIX/dsn-postfix-user-unknown.eml" >"$TMP/three.eml"
"$FILTER" -c "$TMP/filter.conf" -- D00009 "" b+tok@bounces.example.com <"$TMP/three.eml" >/dev/null 2>&1
check "three arguments only: exit 0, recorded without client address" \
    "$?|$(sql "SELECT coalesce(r.client_address, 'null') FROM mxbounce.events e JOIN mxbounce.reports r ON r.id = e.report_id WHERE e.recipient = 'three@example.net'")" \
    "0|null"
check "three arguments only: the daemon is still up" "$(kill -0 "$DPID" && echo up)" up

# An empty message: no body bytes at all in the request.
run_filter /dev/null "D00010"
check "empty message: exit 0, one unparseable event" \
    "$RC|$(sql "SELECT e.kind FROM mxbounce.events e JOIN mxbounce.reports r ON r.id = e.report_id WHERE r.queue_id = 'D00010'")" \
    "0|unparseable"

# --- every fixture, 4 at a time ------------------------------------------------
pids=()
for f in "$FIX"/*.eml; do
    run_filter "$f" "DF$RANDOM" &
    pids+=($!)
done
wait "${pids[@]}"
# Every fixture is a report now, plus three@ and the empty message above.
check "every fixture through the daemon" "$(count reports)" "$(( $(ls "$FIX"/*.eml | wc -l) + 2 ))"

# --- over the size limit: cut by the filter, recorded truncated --------------
cat "$TMP/mxbounce.conf" >"$TMP/small.conf"
printf '[limits]\nmax_message_size = 2048\n' >>"$TMP/small.conf"
{ cat "$FIX/dsn-delivered.eml"; head -c 6000 /dev/zero | tr '\0' 'y'; echo; } >"$TMP/big.eml"
run_filter "$TMP/big.eml" "D00004" "$TMP/small.conf"
check "oversize: exit 0, stored cut, size received kept" \
    "$RC|$(sql "SELECT concat_ws('|', length(m.content), m.size, m.truncated) FROM mxbounce.raw_messages m JOIN mxbounce.reports r ON r.sha256 = m.sha256 WHERE r.queue_id = 'D00004'")" \
    "0|2048|$(wc -c <"$TMP/big.eml")|t"

# --- a foreign request on the socket is refused, the daemon lives on ---------
ans=$(printf 'HELLO\n' | python3 -c "
import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect('$SOCK'); s.sendall(sys.stdin.buffer.read())
s.shutdown(socket.SHUT_WR); print(s.recv(100).decode().strip())")
check "bad header: DEFER" "$ans" "DEFER 4.3.0 bad request"
ans=$(python3 -c "
import socket
s = socket.socket(socket.AF_UNIX); s.connect('$SOCK'); s.sendall(b'MXB1 1000 10\n0123456789')
s.shutdown(socket.SHUT_WR); print(s.recv(100).decode().strip())")
check "malformed body: DEFER" "$ans" "DEFER 4.3.0 bad request"
sed 's/alice@example.net/still@example.net/g' "$FIX/dsn-postfix-user-unknown.eml" >"$TMP/still.eml"
run_filter "$TMP/still.eml" "D00005"
check "daemon still serving" "$RC" 0

# --- the database restarts under the pool: deferred while down, then once ----
"$SRC/scripts/pgtmp" stop "$PG" >/dev/null
sed 's/alice@example.net/restart@example.net/g' "$FIX/dsn-postfix-user-unknown.eml" >"$TMP/restart.eml"
run_filter "$TMP/restart.eml" "D00006"
check "database down: exit 75" "$RC|$OUT" "75|4.3.0 mxbounce: database unavailable"
"$SRC/scripts/pgtmp" start "$PG" >/dev/null
run_filter "$TMP/restart.eml" "D00006"
check "database back: the pool reconnects, exit 0" "$RC" 0
run_filter "$TMP/restart.eml" "D00006"
check "database back: recorded once" \
    "$(sql "SELECT count(*) FROM mxbounce.events WHERE recipient = 'restart@example.net'")" 1

# --- a held lock: the deadline answers before the filter gives up ------------
psql "$CONNINFO" -X -q -c "BEGIN; LOCK TABLE mxbounce.reports IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(6);" \
    >/dev/null 2>&1 &
LOCKER=$!
sleep 0.5
sed 's/alice@example.net/locked@example.net/g' "$FIX/dsn-postfix-user-unknown.eml" >"$TMP/locked.eml"
t0=$(date +%s)
run_filter "$TMP/locked.eml" "D00007"
took=$(( $(date +%s) - t0 ))
check "lock held: exit 75 with the deadline's DSN" "$RC|$OUT" "75|4.4.7 mxbounce: deadline exceeded"
check "lock held: within the deadline (<= 4 s)" "$([ "$took" -le 4 ] && echo yes || echo "no, $took s")" yes
wait "$LOCKER" 2>/dev/null; LOCKER=
run_filter "$TMP/locked.eml" "D00007"
check "lock released: exit 0" "$RC" 0
check "lock released: recorded once" \
    "$(sql "SELECT count(*) FROM mxbounce.events WHERE recipient = 'locked@example.net'")" 1

# --- the daemon stops: the filter defers; it restarts: nothing lost ----------
stop_daemon
check "daemon stopped: socket removed" "$([ -e "$SOCK" ] && echo present || echo gone)" gone
sed 's/alice@example.net/dstop@example.net/g' "$FIX/dsn-postfix-user-unknown.eml" >"$TMP/dstop.eml"
run_filter "$TMP/dstop.eml" "D00008"
check "daemon stopped: exit 75" "$RC|$OUT" "75|4.3.0 mxbounce: daemon unavailable"
start_daemon
run_filter "$TMP/dstop.eml" "D00008"
check "daemon restarted: recorded" "$RC|$(sql "SELECT count(*) FROM mxbounce.events WHERE recipient = 'dstop@example.net'")" "0|1"

# --- a schema older than the daemon: the first call of a connection checks ---
sql "CREATE TABLE mxbounce.saved_migrations AS SELECT * FROM mxbounce.schema_migrations;
     DELETE FROM mxbounce.schema_migrations"
stop_daemon
start_daemon # fresh connections
sed 's/alice@example.net/oldschema@example.net/g' "$FIX/dsn-postfix-user-unknown.eml" >"$TMP/old.eml"
run_filter "$TMP/old.eml" "D00011"
check "schema older than the daemon: exit 75" "$RC|$OUT" "75|4.3.5 mxbounce: database schema too old"
sql "INSERT INTO mxbounce.schema_migrations SELECT * FROM mxbounce.saved_migrations;
     DROP TABLE mxbounce.saved_migrations"
run_filter "$TMP/old.eml" "D00011"
check "schema migrated: recorded once" \
    "$RC|$(sql "SELECT count(*) FROM mxbounce.events WHERE recipient = 'oldschema@example.net'")" "0|1"

finish
