#!/usr/bin/env bash
# pgbouncer.sh - the filter (direct and daemon mode) through pgbouncer in
# transaction mode
#
# usage: pgbouncer.sh MXBOUNCE_FILTER MXBOUNCED MXBOUNCE SOURCE_DIR
#
# The filter's one statement (direct mode) is an unnamed PQexecParams in
# its own transaction, with no session state, so a transaction-mode pool
# must carry it unchanged: 40 filters at once over 10 server connections.
# The daemon prepares its record call; a pooler that loses that (or hands
# it a server connection where another daemon's is) turns it off.
set -uo pipefail

FILTER=$1 DAEMON=$2 MXBOUNCE=$3 SRC=$4
FIX=$SRC/tests/fixtures
TMP=$(mktemp -d /tmp/mxb-pgb.XXXXXX)
chmod 755 "$TMP"
DPID= D2PID=
cleanup() {
    [ -n "$DPID" ] && { kill "$DPID"; wait "$DPID"; } 2>/dev/null
    [ -n "$D2PID" ] && { kill "$D2PID"; wait "$D2PID"; } 2>/dev/null
    "$SRC/scripts/pgbouncer-tmp" stop "$TMP/pgb" >/dev/null 2>&1
    "$SRC/scripts/pgtmp" stop "$TMP/pg" >/dev/null 2>&1
    rm -rf "$TMP"
}
trap cleanup EXIT
[ -n "${KEEP:-}" ] && trap - EXIT
. "$SRC/tests/lib.sh"

DIRECT=$("$SRC/scripts/pgtmp" start "$TMP/pg") || { echo "Bail out! cannot start PostgreSQL"; exit 1; }
POOLED=$("$SRC/scripts/pgbouncer-tmp" start "$TMP/pgb" "$TMP/pg") || { echo "Bail out! cannot start pgbouncer"; exit 1; }
sql() { psql "$DIRECT" -X -Atq -c "$1"; }

printf '[database]\nconninfo = %s\n[filter]\nlog = stderr\ndeadline = 20\n' "$DIRECT" >"$TMP/direct.conf"
printf '[database]\nconninfo = %s\n[filter]\nlog = stderr\ndeadline = 20\n' "$POOLED" >"$TMP/pooled.conf"
printf '[daemon]\nsocket = %s\nworkers = 4\n' "$TMP/d.sock" >>"$TMP/pooled.conf"
"$MXBOUNCE" migrate -c "$TMP/direct.conf" >/dev/null || { echo "Bail out! migrate failed"; exit 1; }
# Statements in the server's log: which record calls were prepared.
sql "ALTER ROLE postgres SET log_statement = 'all'"

# run_many MODE FIRST LAST - distinct reports for poolFIRST..poolLAST, one
# filter each, all at once; prints how many did not exit 0. MODE: the
# filter's options ("-c FILE" direct, "--daemon SOCKET").
mkdir -p "$TMP/m"
run_many() {
    local mode=$1 i p bad=0 pids=()
    for i in $(seq "$2" "$3"); do
        sed "s/alice@example.net/pool$i@example.net/g" "$FIX/dsn-postfix-user-unknown.eml" >"$TMP/m/$i.eml"
    done
    for i in $(seq "$2" "$3"); do
        "$FILTER" $mode -- "P$i" "" b+t@bounces.example.com <"$TMP/m/$i.eml" >/dev/null 2>&1 &
        pids+=($!)
    done
    for p in "${pids[@]}"; do wait "$p" || bad=$((bad + 1)); done
    echo "$bad"
}

# 40 filters at once, direct mode, over 10 pooled server connections.
check "direct mode, 40 at once through pgbouncer: all exit 0" "$(run_many "-c $TMP/pooled.conf" 1 40)" 0
check "direct mode through pgbouncer: 40 events" \
    "$(sql "SELECT count(*) FROM mxbounce.events WHERE recipient LIKE 'pool%'")" 40
"$FILTER" -c "$TMP/pooled.conf" -- P1 "" b+t@bounces.example.com <"$TMP/m/1.eml" 2>"$TMP/err"
check "direct mode through pgbouncer: redelivery is a duplicate" \
    "$?|$(grep -c result=duplicate "$TMP/err")" "0|1"

# Daemon mode: the daemon's pooled connections through pgbouncer.
"$DAEMON" -c "$TMP/pooled.conf" 2>"$TMP/daemon.log" &
DPID=$!
for _ in $(seq 1 50); do [ -S "$TMP/d.sock" ] && break; sleep 0.1; done
check "daemon mode through pgbouncer: all exit 0" "$(run_many "--daemon $TMP/d.sock" 41 60)" 0
check "daemon mode through pgbouncer: 20 more events" \
    "$(sql "SELECT count(*) FROM mxbounce.events WHERE recipient LIKE 'pool%'")" 60
# Group commit through pgbouncer: a lock stops the writer on one report
# while three wait; those three then go in one pipelined transaction.
psql "$DIRECT" -X -q -c "BEGIN; LOCK TABLE mxbounce.reports IN EXCLUSIVE MODE; SELECT pg_sleep(1.5);" \
    >/dev/null 2>&1 &
LOCKER=$!
sleep 0.3
run_many "--daemon $TMP/d.sock" 61 61 >"$TMP/first" &
FIRST=$!
sleep 0.3
check "daemon mode through pgbouncer: three wait for the writer, all exit 0" \
    "$(run_many "--daemon $TMP/d.sock" 62 64)" 0
wait "$FIRST" "$LOCKER"
check "daemon mode through pgbouncer: those three in one transaction" \
    "$(grep -E -c 'P6[234]: result=recorded.* batch=3$' "$TMP/daemon.log")" 3
check "daemon mode through pgbouncer: 64 events" \
    "$(sql "SELECT count(*) FROM mxbounce.events WHERE recipient LIKE 'pool%'")" 64
check "no errors in pgbouncer's log" "$(grep -c -E 'ERROR|FATAL' "$TMP/pgb/pgbouncer.log")" 0

# A pooler that loses the prepared record call: RECONNECT closes the
# server connections, so the writer's next transaction runs where its
# named statement does not exist (26000). The daemon stops preparing and
# records on a fresh connection, unnamed; nothing defers.
named() { grep -c 'execute mxbounce_record_[0-9a-f]*: SELECT outcome' "$TMP/pg/server.log"; }
unnamed() { grep -c 'execute <unnamed>: SELECT outcome' "$TMP/pg/server.log"; }
N0=$(named) U0=$(unnamed)
check "daemon mode through pgbouncer: the writer prepared its call" "$([ "$N0" -gt 0 ] && echo yes)" yes
# A second daemon behind the same pooler is handed the server connection
# where the first one's statement is (pgbouncer hands out the last one
# released): preparing fails there (42P05), so it records unnamed.
sed "s|^socket = .*|socket = $TMP/d2.sock|" "$TMP/pooled.conf" >"$TMP/pooled2.conf"
"$DAEMON" -c "$TMP/pooled2.conf" 2>"$TMP/daemon2.log" &
D2PID=$!
for _ in $(seq 1 50); do [ -S "$TMP/d2.sock" ] && break; sleep 0.1; done
for i in 65 66; do
    check "a second daemon: report $i exits 0" "$(run_many "--daemon $TMP/d2.sock" $i $i)" 0
done
check "a second daemon: the statement was there already, both calls unnamed" \
    "$(grep -c 'prepared statement "mxbounce_record_[0-9a-f]*" already exists' "$TMP/pg/server.log")|$(named)|$(( $(unnamed) - U0 ))" \
    "1|$N0|2"
kill "$D2PID"
wait "$D2PID" 2>/dev/null
D2PID=
U0=$(unnamed)

psql "host=$TMP/pgb port=6432 dbname=pgbouncer user=postgres" -X -q -c "RECONNECT mxbounce" >/dev/null
for i in 67 68 69; do
    check "pooler lost the prepared call: report $i exits 0" "$(run_many "--daemon $TMP/d.sock" $i $i)" 0
done
check "pooler lost the prepared call: 69 events" \
    "$(sql "SELECT count(*) FROM mxbounce.events WHERE recipient LIKE 'pool%'")" 69
check "pooler lost the prepared call: named calls stopped, three unnamed ones" \
    "$(named)|$(( $(unnamed) - U0 ))" "$N0|3"
check "pooler lost the prepared call: the server saw the missing statement" \
    "$(grep -c 'prepared statement "mxbounce_record_[0-9a-f]*" does not exist' "$TMP/pg/server.log")" 1

finish
