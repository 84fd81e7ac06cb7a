#!/usr/bin/env bash
# daemon.sh - mxbounce-filter in daemon mode, mxbounced, a real PostgreSQL
#
# usage: daemon.sh MXBOUNCE_FILTER MXBOUNCED MXBOUNCE SOURCE_DIR
#
# The filter hands each message (its standard input descriptor) to
# mxbounced over a Unix socket; the daemon reads and records it with a
# pooled connection and answers after the commit.
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
    DSTATUS=$?
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

# The daemon's file; the filter reads none in daemon mode (-c is ignored).
cat >"$TMP/mxbounce.conf" <<EOF
[database]
conninfo = $CONNINFO
connect_timeout = 2
[filter]
log = stderr
deadline = 3
[daemon]
socket = $SOCK
workers = 4
EOF
"$MXBOUNCE" migrate -c "$TMP/mxbounce.conf" >/dev/null || { echo "Bail out! migrate failed"; exit 1; }
# Statements in the server's log: which record calls were prepared.
sql "ALTER ROLE postgres SET log_statement = 'all'"

start_daemon() { # start_daemon [CONF [SOCKET]]
    "$DAEMON" -c "${1:-$TMP/mxbounce.conf}" 2>>"$TMP/daemon.log" &
    DPID=$!
    for _ in $(seq 1 50); do [ -S "${2:-$SOCK}" ] && return 0; sleep 0.1; done
    echo "Bail out! mxbounced did not start"; cat "$TMP/daemon.log"; exit 1
}
# held_batch NAME QUEUEID... - one filter per queue id, each with its own
# copy of the bounce (recipient NAMEi@example.net); a lock held for 1.5 s
# stops the writer on the first, the others wait meanwhile and then share
# one transaction. RCS is the exit statuses in order.
held_batch() {
    local name=$1 i=0 q p pids=()
    shift
    psql "$CONNINFO" -X -q -c "BEGIN; LOCK TABLE mxbounce.reports IN EXCLUSIVE MODE; SELECT pg_sleep(1.5);" \
        >/dev/null 2>&1 &
    LOCKER=$!
    sleep 0.3
    RCS=
    for q in "$@"; do
        i=$((i + 1))
        [ -f "$TMP/$name$i.eml" ] ||
            sed "s/alice@example.net/$name$i@example.net/g" "$FIX/dsn-postfix-user-unknown.eml" >"$TMP/$name$i.eml"
        ( run_filter "$TMP/$name$i.eml" "$q"; exit "$RC" ) &
        pids+=($!)
        [ "$i" = 1 ] && sleep 0.3
        sleep 0.05 # in this order in the writer's queue
    done
    for p in "${pids[@]}"; do wait "$p"; RCS="$RCS$?"; done
    wait "$LOCKER" 2>/dev/null
    LOCKER=
}
run_filter() { # run_filter FILE QUEUEID [SOCKET]
    OUT=$("$FILTER" -c /nonexistent/ignored.conf --daemon "${3:-$SOCK}" -- "$2" "" \
        "b+tok@bounces.example.com" "b+tok@bounces.example.com" "192.0.2.7" <"$1" 2>/dev/null)
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
"$FILTER" --daemon "$SOCK" -- D00009 "" b+tok@bounces.example.com <"$TMP/three.eml" >/dev/null 2>&1
check "three arguments only: exit 0, recorded without client address" \
    "$?|$(sql "SELECT coalesce(r.client_address, 'null') FROM mxbounce.events e JOIN mxbounce.reports r ON r.id = e.report_id WHERE e.recipient = 'three@example.net'")" \
    "0|null"
check "three arguments only: the daemon is still up" "$(kill -0 "$DPID" && echo up)" up

# An empty message: the daemon reads end of input at once.
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
# The writer's first report on its connection goes unnamed, with the
# schema check; it prepares the call then and uses that for the rest.
check "the writer's connection: one unnamed record call, then prepared ones" \
    "$(grep -c 'execute <unnamed>: SELECT outcome, report_id, n_events' "$PG/server.log")|$(grep -c 'execute mxbounce_record_[0-9a-f]*: SELECT outcome' "$PG/server.log")" \
    "1|$(( $(ls "$FIX"/*.eml | wc -l) + 3 ))"

# The daemon's log line is bounded as the direct mode's (mxb/log.h): five
# recipients of six named, each and the sender cut at 100 bytes, the text
# cut at 900 (uncut, with its " batch=1", about 950).
long_fields_message "$TMP/loglong.eml"
"$FILTER" --daemon "$SOCK" -- DLOG01 "$(printf '%*s' 188 '' | tr ' ' s)@example.org" \
    b+tok@bounces.example.com <"$TMP/loglong.eml" >/dev/null 2>&1
rc=$?
# The daemon logs after its answer: wait for the line.
for _ in $(seq 1 50); do grep -q 'DLOG01: ' "$TMP/daemon.log" && break; sleep 0.1; done
check "long fields: exit 0, one log line" "$rc|$(grep -c 'DLOG01: ' "$TMP/daemon.log")" "0|1"
text=$(grep 'DLOG01: ' "$TMP/daemon.log")
text=${text#*DLOG01: }
rcpts=$(printf '%s' "$text" | sed -n 's/.* rcpts=\([^ ]*\) .*/\1/p' | tr ',' '\n')
sender=$(printf '%s' "$text" | sed -n 's/.* sender=<\([^>]*\)>.*/\1/p')
check "long fields: text cut at 900, five recipients of 100 bytes, sender 100" \
    "$(printf '%s' "$text" | wc -c)|$(printf '%s\n' "$rcpts" | wc -l)|$(printf '%s\n' "$rcpts" | cut -d: -f1 | awk '{ print length }' | sort -u)|${#sender}" \
    "900|5|100|100"

# --- group commit: what waits for the writer goes in one transaction ---------
held_batch gc DGC1 DGC2 DGC3 DGC4
check "group commit: all exit 0" "$RCS" "0000"
check "group commit: the three that waited shared one transaction" \
    "$(grep -E -c 'DGC[234]: result=recorded.* batch=3$' "$TMP/daemon.log")|$(grep -c 'DGC1: result=recorded.* batch=1$' "$TMP/daemon.log")" "3|1"
check "group commit: each recorded once" \
    "$(sql "SELECT count(*) || '|' || count(DISTINCT recipient) FROM mxbounce.events WHERE recipient LIKE 'gc%'")" "4|4"

# --- one message of a batch fails: the others are recorded one by one -------
# A trigger (the test's, not the schema's) fails the reports of queue id DFAIL.
sql "CREATE FUNCTION mxbounce.test_fail() RETURNS trigger LANGUAGE plpgsql AS
       \$\$BEGIN IF NEW.queue_id = 'DFAIL' THEN RAISE EXCEPTION 'test failure'; END IF;
       RETURN NEW; END\$\$;
     CREATE TRIGGER test_fail BEFORE INSERT ON mxbounce.reports
       FOR EACH ROW EXECUTE FUNCTION mxbounce.test_fail()"
# batch2, batch3 and DFAIL go in one transaction, which fails.
held_batch batch DB1 DB2 DB3 DFAIL
check "a failing message among others: it defers, the others exit 0" "$RCS" "00075"
check "a failing message among others: the batch failed, then one by one" \
    "$(grep -c 'batch of 3 not recorded together, one by one now: P0001 .*test failure' "$TMP/daemon.log")" 1
check "a failing message among others: the others recorded once each" \
    "$(sql "SELECT count(*) FROM mxbounce.events WHERE recipient LIKE 'batch%'")" 3
check "a failing message among others: its error logged" \
    "$(grep -c 'DFAIL: result=deferred reason="database error"' "$TMP/daemon.log")" 1
sql "DROP TRIGGER test_fail ON mxbounce.reports; DROP FUNCTION mxbounce.test_fail()"
run_filter "$TMP/batch4.eml" DFAIL
check "the failing message, later: recorded" "$RC|$(sql "SELECT count(*) FROM mxbounce.events WHERE recipient = 'batch4@example.net'")" "0|1"

# --- a batch whose first statement hangs: its big messages cannot block -------
# DSLEEP's insert sleeps 8 s (a test trigger); the two messages of 3 MB
# behind it in the same pipeline then fill the socket, since the server
# does not read them meanwhile. The sends must end at the deadline too.
sql "CREATE FUNCTION mxbounce.test_sleep() RETURNS trigger LANGUAGE plpgsql AS
       \$\$BEGIN IF NEW.queue_id = 'DSLEEP' THEN PERFORM pg_sleep(8); END IF;
       RETURN NEW; END\$\$;
     CREATE TRIGGER test_sleep BEFORE INSERT ON mxbounce.reports
       FOR EACH ROW EXECUTE FUNCTION mxbounce.test_sleep()"
for i in 3 4; do
    { sed "s/alice@example.net/hang$i@example.net/g" "$FIX/dsn-postfix-user-unknown.eml"
      head -c 3000000 /dev/urandom | base64; } >"$TMP/hang$i.eml"
done
t0=$(date +%s.%N)
held_batch hang DOPEN DSLEEP DBIG1 DBIG2
took=$(echo "$(date +%s.%N) - $t0" | bc)
check "a hanging statement ahead of big ones: every filter answered by the deadline" \
    "$(echo "$took < 4.5" | bc)" 1
sql "DROP TRIGGER test_sleep ON mxbounce.reports; DROP FUNCTION mxbounce.test_sleep()"

# --- over the size limit: cut by the daemon, recorded truncated --------------
# A second daemon with a small limit on a socket of its own.
sed "s|^socket = .*|socket = $TMP/small.sock|" "$TMP/mxbounce.conf" >"$TMP/small.conf"
printf '[limits]\nmax_message_size = 2048\n' >>"$TMP/small.conf"
MAIN_PID=$DPID
start_daemon "$TMP/small.conf" "$TMP/small.sock"
{ cat "$FIX/dsn-delivered.eml"; head -c 200000 /dev/zero | tr '\0' 'y'; echo; } >"$TMP/big.eml"
run_filter "$TMP/big.eml" "D00004" "$TMP/small.sock"
check "oversize: exit 0, stored cut, size received kept" \
    "$RC|$(sql "SELECT concat_ws('|', length(m.content), m.size, m.truncated) FROM mxbounce.raw_messages m JOIN mxbounce.reports r ON r.sha256 = m.sha256 WHERE r.queue_id = 'D00004'")" \
    "0|2048|$(wc -c <"$TMP/big.eml")|t"
stop_daemon
DPID=$MAIN_PID

# --- local rules: the daemon classifies with them; a wrong one stops it -----------
sed "s|^socket = .*|socket = $TMP/local.sock|" "$TMP/mxbounce.conf" >"$TMP/local.conf"
printf '[classify]\nlocal_rules = %s\n' "$TMP/local.rules" >>"$TMP/local.conf"
printf '[dmarc]\nreason = reputation\npattern = DMARC policy\n' >"$TMP/local.rules"
MAIN_PID=$DPID
start_daemon "$TMP/local.conf" "$TMP/local.sock"
sed 's/ken@example.com/localrule@example.com/g' "$FIX/dsn-auth-failure.eml" >"$TMP/localrule.eml"
run_filter "$TMP/localrule.eml" "D00017" "$TMP/local.sock"
check "local rules: exit 0, the rule's reason, the version names the rules" \
    "$RC|$(sql "SELECT e.reason || ' ' || (e.classifier_version ~ '^[0-9.]+\+local\.[0-9a-f]{12}$') FROM mxbounce.events e WHERE e.recipient = 'localrule@example.com'")" \
    "0|reputation true"
stop_daemon
DPID=$MAIN_PID
printf '[dmarc]\nreason = reputation\npattern = DMARC (policy\n' >"$TMP/local.rules"
"$DAEMON" -c "$TMP/local.conf" >/dev/null 2>"$TMP/local.err"
check "a wrong local rule: the daemon refuses to start, naming it" \
    "$?|$(grep -c "local.rules: rule \[dmarc\]: pattern" "$TMP/local.err")" "1|1"

# --- the message through a pipe, as Postfix writes it -------------------------
sed 's/alice@example.net/piped@example.net/g' "$FIX/dsn-postfix-user-unknown.eml" >"$TMP/piped.eml"
OUT=$( (sleep 0.3; cat "$TMP/piped.eml") | "$FILTER" --daemon "$SOCK" -- D00012 "" b+tok@bounces.example.com)
check "message on a pipe, written late: exit 0, bytes intact" \
    "$?|$(sql "SELECT encode(sha256(m.content), 'hex') FROM mxbounce.raw_messages m JOIN mxbounce.reports r ON r.sha256 = m.sha256 WHERE r.queue_id = 'D00012'")" \
    "0|$(sha256sum <"$TMP/piped.eml" | cut -d' ' -f1)"

# --- an envelope argument longer than MXB_PROTO_FIELD_MAX is cut, not refused
long=$(printf 'r%.0s' $(seq 1 3000))
sed 's/alice@example.net/longarg@example.net/g' "$FIX/dsn-postfix-user-unknown.eml" >"$TMP/longarg.eml"
"$FILTER" --daemon "$SOCK" -- D00015 "" "b+$long@bounces.example.com" <"$TMP/longarg.eml" >/dev/null 2>&1
check "a 3000-byte recipient argument: exit 0, stored cut" \
    "$?|$(sql "SELECT length(envelope_recipient) FROM mxbounce.reports WHERE queue_id = 'D00015'")" "0|1000"

# --- the filter's own usage errors defer (a broken master.cf) ---------------
OUT=$("$FILTER" --daemon "$SOCK" -- D00013 "" </dev/null 2>/dev/null)
check "two arguments only: exit 75" "$?|$OUT" "75|4.3.5 mxbounce: usage error"
OUT=$("$FILTER" --daemon "$SOCK" -- D00017 "" "" <"$FIX/dsn-postfix-user-unknown.eml" 2>/dev/null)
check "an empty recipient: exit 75, as in direct mode" "$?|$OUT" "75|4.3.5 mxbounce: usage error"
OUT=$("$FILTER" --daemon </dev/null 2>/dev/null)
check "--daemon without a socket: exit 75" "$?|$OUT" "75|4.3.5 mxbounce: usage error"
OUT=$("$FILTER" --daemon "$TMP/$(printf 'x%.0s' $(seq 1 120))" -- D00014 "" b@x </dev/null 2>/dev/null)
check "socket path too long: exit 75" "$?|$OUT" "75|4.3.5 mxbounce: usage error"
OUT=$(cd "$TMP" && "$FILTER" --daemon mxbounced.sock -- D00016 "" b@x </dev/null 2>/dev/null)
check "relative socket path: exit 75" "$?|$OUT" "75|4.3.5 mxbounce: usage error"
check "--version" "$("$FILTER" --version | cut -d' ' -f1)" "mxbounce-filter"

# --- a configuration that still names the mode is refused --------------------
printf '[filter]\nmode = daemon\n' >>"$TMP/oldmode.conf"
cat "$TMP/mxbounce.conf" >>"$TMP/oldmode.conf"
"$DAEMON" -c "$TMP/oldmode.conf" >/dev/null 2>"$TMP/oldmode.err"
check "[filter] mode: the daemon refuses to start" "$?|$(grep -c 'mxbounce-filter --daemon SOCKET' "$TMP/oldmode.err")" "1|1"

# --- a foreign request on the socket is refused, the daemon lives on ---------
ans=$(printf 'HELLO\n' | python3 -c "
import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect('$SOCK'); s.sendall(sys.stdin.buffer.read())
s.shutdown(socket.SHUT_WR); print(s.recv(100).decode().strip())")
check "bad header: DEFER" "$ans" "DEFER 4.3.0 bad request"
# A well-formed request that brings no descriptor, one with four fields,
# one with two descriptors, a length past the limit: all refused, and
# every descriptor received is closed (the daemon's count stays put).
foreign() { # foreign PYTHON-EXPR-FOR-BYTES NFDS
    python3 -c "
import os, socket, array, time
s = socket.socket(socket.AF_UNIX); s.connect('$SOCK')
data = ($1).replace(b'START', str(time.monotonic_ns() // 1000 - ${AGE_US:-0}).encode())
fds = [os.open('/dev/null', os.O_RDONLY) for _ in range($2)]
if fds: s.sendmsg([data], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array('i', fds))])
else: s.sendall(data)
s.shutdown(socket.SHUT_WR); print(s.recv(100).decode().strip())"
}
fds_before=$(ls /proc/"$DPID"/fd | wc -l)
check "well formed, the empty /dev/null: OK" "$(foreign "b'MXB2 START 9\\nQ\\0\\0r@x\\0\\0\\0'" 1)" "OK"
check "started longer ago than the deadline: DEFER 4.4.7" \
    "$(AGE_US=4000000 foreign "b'MXB2 START 9\\nQ\\0\\0r@x\\0\\0\\0'" 1)" "DEFER 4.4.7 deadline exceeded"
check "no descriptor: DEFER" "$(foreign "b'MXB2 START 9\\nQ\\0\\0r@x\\0\\0\\0'" 0)" "DEFER 4.3.0 bad request"
check "four fields: DEFER" "$(foreign "b'MXB2 START 8\\nQ\\0\\0r@x\\0\\0'" 1)" "DEFER 4.3.0 bad request"
check "two descriptors: DEFER" "$(foreign "b'MXB2 START 9\\nQ\\0\\0r@x\\0\\0\\0'" 2)" "DEFER 4.3.0 bad request"
# Five fields of 2048 bytes (MXB_PROTO_FIELD_MAX) are the most a request
# carries: 10245 bytes with their NULs. One byte more is refused.
check "fields of 10245 bytes (the limit): OK" \
    "$(foreign "b'MXB2 START 10245\\n' + (b'L' * 2048 + b'\\0') * 5" 1)" "OK"
check "fields of 10246 bytes (one past): DEFER" \
    "$(foreign "b'MXB2 START 10246\\n' + (b'L' * 2048 + b'\\0') * 5 + b'L'" 1)" "DEFER 4.3.0 bad request"
check "no recipient: DEFER" "$(foreign "b'MXB2 START 5\\n\\0\\0\\0\\0\\0'" 1)" "DEFER 4.3.0 bad request"
check "foreign descriptors all closed" "$(ls /proc/"$DPID"/fd | wc -l)" "$fds_before"
sed 's/alice@example.net/still@example.net/g' "$FIX/dsn-postfix-user-unknown.eml" >"$TMP/still.eml"
run_filter "$TMP/still.eml" "D00005"
check "daemon still serving" "$RC" 0

# --- a client that sends its request a byte now and then ---------------------
# The whole request has 10 s (REQUEST_TIMEOUT_MS), not each read: it is
# refused at 10 s while the tests below go on. Checked before the daemon
# stops.
python3 -c "
import socket, time
s = socket.socket(socket.AF_UNIX); s.connect('$SOCK'); t0 = time.monotonic()
s.settimeout(0.5); ans = b''
for c in b'MXB2 1 9\\nQ':
    s.sendall(bytes([c]))
    try:
        ans = s.recv(100)
        if ans: break
    except socket.timeout: pass
    except OSError: break
    time.sleep(0.5)
s.settimeout(15)
if not ans: ans = s.recv(100)
print(ans.decode().strip() + '|' + str(round(time.monotonic() - t0)))" >"$TMP/slow.out" 2>&1 &
SLOW=$!

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

wait "$SLOW"
check "a request sent a byte every 0.5 s: refused after 10 s" \
    "$(cut -d'|' -f1 "$TMP/slow.out")|$(cut -d'|' -f2 "$TMP/slow.out" | awk '{print ($1 >= 9 && $1 <= 11) ? "in time" : $1 " s"}')" \
    "DEFER 4.3.0 bad request|in time"

# --- the delivery agent dies mid-message: nothing recorded -------------------
# The filter dies with its parent (pipe(8) killed after 40 KB of 90 KB);
# mxbounced, whose read of the message ended there, sees it gone and
# records nothing. The whole message, delivered again, is recorded once.
{ sed 's/alice@example.net/dpartial@example.net/g' "$FIX/dsn-postfix-user-unknown.eml"
  head -c 60000 /dev/zero | tr '\0' 'x' | fold -w 76; } >"$TMP/dpartial.eml"
check "agent dies mid-message: the filter is killed with it or defers" \
    "$(killed_or_deferred "$(agent_dies "$TMP/dpartial.eml" 40000 "$FILTER" --daemon "$SOCK" -- DPART1 "" b+tok@bounces.example.com)")" "killed or deferred"
sleep 0.5 # the daemon's worker finishes with it
check "agent dies mid-message: nothing recorded, the daemon says why" \
    "$(sql "SELECT count(*) FROM mxbounce.reports WHERE queue_id = 'DPART1'")|$(grep -c 'DPART1: result=deferred reason="agent gone"' "$TMP/daemon.log")" "0|1"
# The watch alone: a client of the daemon that lives on (exit 75 on a
# DEFER) as the agent that writes its input dies.
cat >"$TMP/client.py" <<EOF
import array, os, socket, sys, time
fields = b"DPART3\0\0b+tok@bounces.example.com\0\0\0"
s = socket.socket(socket.AF_UNIX); s.connect("$SOCK")
head = b"MXB2 %d %d\n" % (time.monotonic_ns() // 1000, len(fields))
s.sendmsg([head + fields], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [0]))])
sys.exit(0 if s.recv(100).startswith(b"OK") else 75)
EOF
sed 's/dpartial@example.net/dwatched@example.net/g' "$TMP/dpartial.eml" >"$TMP/dwatched.eml"
check "agent dies, the client lives: DEFER, nothing recorded, the daemon says why" \
    "$(agent_dies "$TMP/dwatched.eml" 40000 /usr/bin/python3 "$TMP/client.py")|$(sleep 0.3; sql "SELECT count(*) FROM mxbounce.reports WHERE queue_id = 'DPART3'")|$(grep -c 'DPART3: result=deferred reason="agent gone"' "$TMP/daemon.log")" \
    "exit 75|0|1"
run_filter "$TMP/dpartial.eml" "DPART2"
check "delivered again whole: recorded once" \
    "$RC|$(sql "SELECT count(*) FROM mxbounce.events WHERE recipient = 'dpartial@example.net'")" "0|1"

# --- a frozen server: the daemon answers by its deadline --------------------
# Every process of the server stopped (SIGSTOP, as a frozen VM): the
# statement waits until the deadline (3 s), and the cancel request, which
# the server never takes, is given up after 100 ms (MXB_DB_CANCEL_WAIT_MS):
# the answer comes by the deadline, not when the server thaws 8 s later.
sed 's/alice@example.net/frozen@example.net/g' "$FIX/dsn-postfix-user-unknown.eml" >"$TMP/frozen.eml"
pm=$(head -n 1 "$PG/data/postmaster.pid")
frozen="$pm $(pgrep -P "$pm" | tr '\n' ' ')"
kill -STOP $frozen
( sleep 8; kill -CONT $frozen ) &
THAW=$!
t0=$(date +%s%N)
run_filter "$TMP/frozen.eml" "DFRZ01"
ms=$((($(date +%s%N) - t0) / 1000000))
check "a frozen server: deferred by the deadline (in ${ms} ms), not when it thaws" \
    "$RC|$OUT|$((ms < 3600))" "75|4.4.7 mxbounce: deadline exceeded|1"
wait "$THAW"
run_filter "$TMP/frozen.eml" "DFRZ02"
check "thawed, delivered again: recorded once" \
    "$RC|$(sql "SELECT count(*) FROM mxbounce.events WHERE recipient = 'frozen@example.net'")" "0|1"

# --- the daemon stops: the filter defers; it restarts: nothing lost ----------
stop_daemon
check "daemon stopped: socket removed" "$([ -e "$SOCK" ] && echo present || echo gone)" gone
if [ -e "$SOCK" ]; then
    # Seen once under ASan in CI and never again: say why, if it comes back.
    echo "# mxbounced's exit status: $DSTATUS; the end of its log:"
    tail -n 40 "$TMP/daemon.log" | sed 's/^/#   /'
fi
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
