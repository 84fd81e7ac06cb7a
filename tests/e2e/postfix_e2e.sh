#!/usr/bin/env bash
# postfix_e2e.sh - mxbounce under a real Postfix, into a real PostgreSQL
#
# usage: postfix_e2e.sh [--daemon MXBOUNCED] MXBOUNCE_FILTER MXBOUNCE SOURCE_DIR
#
# With --daemon the filter runs in daemon mode: mxbounced (as the pipe
# user) records, the filter only hands the message over.
#
# Starts a private PostgreSQL (scripts/pgtmp) and a private Postfix on
# 127.0.0.1 (scripts/postfix-tmp) whose bounce domain is piped to the
# freshly built filter, running as the unprivileged user "mxbounce".
# Sends reports over SMTP with the null sender, waits for the queue to
# drain, and checks the database and Postfix's log. Needs root (Postfix).
set -uo pipefail

if [ "$(id -u)" != 0 ]; then
    exec sudo -E bash "$0" "$@"
fi
DAEMON=
if [ "${1:-}" = --daemon ]; then DAEMON=$2; shift 2; fi
FILTER=$1 MXBOUNCE=$2 SRC=$3
FIX=$SRC/tests/fixtures
SEND=$SRC/tests/e2e/smtp-send
PORT=${E2E_PORT:-2525}
TMP=$(mktemp -d /tmp/mxb-e2e.XXXXXX)
chmod 755 "$TMP"
PG=$TMP/pg PFX=$TMP/postfix

cleanup() {
    [ -n "${LOCKER:-}" ] && kill "$LOCKER" 2>/dev/null
    "$SRC/scripts/postfix-tmp" daemon-stop "$PFX" >/dev/null 2>&1
    "$SRC/scripts/postfix-tmp" stop "$PFX" >/dev/null 2>&1
    "$SRC/scripts/pgtmp" stop "$PG" >/dev/null 2>&1
    rm -rf "$TMP"
}
trap cleanup EXIT
[ -n "${E2E_KEEP:-}" ] && trap - EXIT

. "$SRC/tests/lib.sh"

CONNINFO=$("$SRC/scripts/pgtmp" start "$PG") || { echo "Bail out! cannot start PostgreSQL"; exit 1; }
count() { sql "SELECT count(*) FROM mxbounce.$1"; }

# The filter logs to stderr here: Postfix then puts its line into the
# delivery status in the instance's maillog (there is no syslog in CI).
install -m 600 /dev/null "$TMP/mxbounce.conf" # private before the key is in it
cat >"$TMP/mxbounce.conf" <<EOF
[database]
conninfo = $CONNINFO
connect_timeout = 3
[filter]
log = stderr
deadline = 3
[limits]
max_message_size = 65536
[verp]
key.1 = $("$MXBOUNCE" verp new-key)
EOF
if [ -n "$DAEMON" ]; then
    printf '[daemon]\nsocket = %s\nworkers = 10\n' "$PFX/run/mxbounced.sock" >>"$TMP/mxbounce.conf"
fi
chmod 600 "$TMP/mxbounce.conf" # it holds a key: others may not read it
"$MXBOUNCE" migrate -c "$TMP/mxbounce.conf" >/dev/null || { echo "Bail out! migrate failed"; exit 1; }

PFX_PORT=$PORT PFX_FILTER=$FILTER PFX_CONF=$TMP/mxbounce.conf PFX_MAXPROC=10 \
    PFX_DAEMON=$DAEMON PFX_SOCKET=${DAEMON:+$PFX/run/mxbounced.sock} PFX_SIZE_LIMIT=200000 "$SRC/scripts/postfix-tmp" start "$PFX" ||
    { echo "Bail out! cannot start Postfix"; exit 1; }
if [ -n "$DAEMON" ]; then
    "$SRC/scripts/postfix-tmp" daemon-start "$PFX" || { echo "Bail out! cannot start mxbounced"; exit 1; }
fi
# Where the per-message log lines are: Postfix's log (the filter's output)
# in direct mode, the daemon's own log in daemon mode.
filterlog() { if [ -n "$DAEMON" ]; then cat "$PFX/mxbounced.log"; else maillog; fi; }
maillog() { "$SRC/scripts/postfix-tmp" log "$PFX"; }
drain() { "$SRC/scripts/postfix-tmp" wait "$PFX" "${1:-60}"; }
# Every report goes to one signed VERP address (account 42, list 1; not
# bound to a recipient, so that any fixture verifies).
ENVR="b+$("$MXBOUNCE" verp make -c "$TMP/mxbounce.conf" --account 42 --list 1)@bounces.example.com"
send() { "$SEND" -p "$PORT" -r "$ENVR" "$@" >>"$TMP/send.log" 2>&1; }

# --- the filter runs as the unprivileged pipe user ------------------------
check "pipe service runs as mxbounce" \
    "$(grep -A1 '^mxbounce ' "$PFX/etc/master.cf" | grep -o 'user=[a-z]*')" "user=mxbounce"

# --- every fixture arrives as the right rows ------------------------------
# What the classifier says of each file is what the database must hold.
files=()
for f in "$FIX"/*.eml; do
    case $(basename "$f") in garbage.eml|dsn-mbox-crlf.eml) continue ;; esac
    files+=("$f")
done
"$MXBOUNCE" classify --json "${files[@]}" | python3 -c '
import json, sys
for l in sys.stdin:
    d = json.loads(l)
    print("|".join(str(d[k] if d[k] is not None else "") for k in
                   ("recipient", "kind", "status", "class", "reason")))' | sort >"$TMP/want"
send -c 4 "${files[@]}"
check "fixtures: sent" "$(tail -1 "$TMP/send.log" | cut -d, -f1-3)" \
    "smtp-send: sent ${#files[@]}, rejected 0, failed 0"
drain 60; check "fixtures: queue drained" "$?" 0
sql "SELECT concat_ws('|', coalesce(recipient, ''), kind, coalesce(status, ''), coalesce(class, ''), coalesce(reason, '')) FROM mxbounce.events" | sort >"$TMP/got"
check "fixtures: rows equal the classifier's results" "$(diff "$TMP/want" "$TMP/got" | head -5)" ""
check "fixtures: one report per message" "$(count reports)" "${#files[@]}"
check "fixtures: client address recorded" "$(sql "SELECT DISTINCT client_address FROM mxbounce.reports")" "127.0.0.1"
check "fixtures: envelope recipient keeps the VERP token" \
    "$(sql "SELECT DISTINCT envelope_recipient FROM mxbounce.reports")" "$ENVR"
check "fixtures: every event tied to account 42 by the verified token" \
    "$(sql "SELECT DISTINCT concat_ws('|', match, token, account_id, list_id) FROM mxbounce.events")" "verified|verified|42|1"

# The CRLF file with an mbox "From " line: over SMTP that line ends the
# headers, so Postfix adds its own; the report inside is still found.
send "$FIX/dsn-mbox-crlf.eml"; drain 30
check "mbox/CRLF fixture: recipient found behind Postfix's headers" \
    "$(sql "SELECT concat_ws('|', kind, class, reason) FROM mxbounce.events WHERE recipient = 'grace@example.com'")" \
    "bounce|block|reputation"

# --- the same message twice: one set of rows ------------------------------
before=$(count events)
send "$FIX/dsn-postfix-user-unknown.eml" "$FIX/dsn-postfix-user-unknown.eml"; drain 30
check "same message twice: no new rows" "$(count events)" "$before"
check "same message twice: both delivered as duplicates" \
    "$(filterlog | grep -c 'result=duplicate')" 2

# --- 200 messages at concurrency 10, overlapping recipients ---------------
mkdir -p "$TMP/load"
for i in $(seq 1 200); do
    r=$((i % 20))
    sed -e "s/alice@example.net/load$r@example.net/g" \
        -e "s/^Message-ID: <\(.*\)>/Message-ID: <load$i.\1>/" \
        -e "s/^Date: .*/Date: Thu, 26 Nov 2026 03:$((i % 60)):00 +0000/" \
        "$FIX/dsn-postfix-user-unknown.eml" >"$TMP/load/$i.eml"
done
t0=$(date +%s.%N)
send -c 10 "$TMP"/load/*.eml
drain 180; check "load: queue drained" "$?" 0
t1=$(date +%s.%N)
check "load: 200 reports" "$(sql "SELECT count(*) FROM mxbounce.events WHERE recipient LIKE 'load%'")" 200
check "load: 20 suppressions for the account, 10 events each" \
    "$(sql "SELECT count(*) || '|' || min(event_count) || '|' || max(event_count) || '|' || min(account_id) || '|' || max(account_id) FROM mxbounce.suppressions WHERE address LIKE 'load%'")" \
    "20|10|10|42|42"
check "load: nothing deferred, no filter warning" \
    "$(maillog | grep -c -E 'status=deferred|result=deferred|deadlock|warning: pipe')" 0
echo "# load: 200 messages in $(echo "$t1 - $t0" | bc) s"

# --- database down: deferred, nothing lost, recorded once -----------------
"$SRC/scripts/pgtmp" stop "$PG" >/dev/null
mkdir -p "$TMP/down"
for i in 1 2 3 4 5; do
    sed "s/mallory@example.net/down$i@example.net/g" "$FIX/dsn-mailbox-full-552.eml" >"$TMP/down/$i.eml"
done
send -c 5 "$TMP"/down/*.eml
# postqueue -j shows them deferred with the filter's line as the reason.
# (Sampled: with retries every second a message is often in the active
# queue, and once several deliveries failed Postfix may defer the rest with
# its own "delivery temporarily suspended": every one of the five is
# checked in the log below.)
n=0
for _ in $(seq 1 100); do
    n=$("$SRC/scripts/postfix-tmp" queue "$PFX" | grep '"queue_name": "deferred"' |
        grep -c 'mxbounce: database unavailable')
    [ "$n" -gt 0 ] && break
    sleep 0.2
done
check "database down: deferred in the queue with the filter's reason (postqueue -j)" \
    "$([ "$n" -gt 0 ] && echo yes)" yes
# Each of the five reaches the filter in its turn: one that Postfix
# deferred with "delivery temporarily suspended" is tried again a second
# later (a slow build, ASan's, sees that), so the log is read until all
# five carry the filter's reason, for at most 30 s.
down_deferred() {
    maillog | grep 'relay=mxbounce.*dsn=4.3.0, status=deferred (.*mxbounce: database unavailable' |
        awk '{print $6}' | sort -u | wc -l
}
for _ in $(seq 1 150); do
    [ "$(down_deferred)" -ge 5 ] && break
    sleep 0.2
done
check "database down: each of the five deferred, none bounced" \
    "$(down_deferred)|$(maillog | grep -c 'status=bounced')" "5|0"
"$SRC/scripts/pgtmp" start "$PG" >/dev/null
"$SRC/scripts/postfix-tmp" flush "$PFX"
drain 60; check "database back: queue drained" "$?" 0
check "database back: each recorded exactly once" \
    "$(sql "SELECT count(*) || '|' || count(DISTINCT recipient) FROM mxbounce.events WHERE recipient LIKE 'down%'")" "5|5"

# --- database hanging: the filter's deadline, never Postfix's kill --------
psql "$CONNINFO" -X -q -c "BEGIN; LOCK TABLE mxbounce.reports IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(8);" \
    >/dev/null 2>&1 &
LOCKER=$!
sleep 0.5
mkdir -p "$TMP/hang"
for i in 1 2 3; do
    sed "s/mallory@example.net/hang$i@example.net/g" "$FIX/dsn-mailbox-full-552.eml" >"$TMP/hang/$i.eml"
done
send -c 3 "$TMP"/hang/*.eml
sleep 5
check "lock held: messages deferred by the filter's deadline" \
    "$(maillog | grep 'dsn=4.4.7, status=deferred (mxbounce: deadline exceeded' | awk '{print $6}' | sort -u | wc -l)" 3
wait "$LOCKER" 2>/dev/null; LOCKER=
"$SRC/scripts/postfix-tmp" flush "$PFX"
drain 60; check "lock released: queue drained" "$?" 0
check "lock released: each recorded exactly once" \
    "$(sql "SELECT count(*) || '|' || count(DISTINCT recipient) FROM mxbounce.events WHERE recipient LIKE 'hang%'")" "3|3"
check "no time-limit kill" "$(maillog | grep -c -i 'time limit exceeded\|killed')" 0

# --- a report over the filter's size limit: recorded truncated ------------
{ cat "$FIX/dsn-delivered.eml"; for i in $(seq 1 1500); do echo "padding line $i of a long returned message ................"; done; } >"$TMP/big.eml"
send "$TMP/big.eml"; drain 30
check "over the filter's limit: recorded, truncated" \
    "$(sql "SELECT concat_ws('|', r.flags & 1, length(m.content)) FROM mxbounce.reports r JOIN mxbounce.raw_messages m ON m.sha256 = r.sha256 WHERE m.truncated")" \
    "1|65536"

# --- a message over Postfix's size limit: refused in SMTP, nothing queued --
head -c 300000 /dev/zero | tr '\0' 'x' | fold -w 70 | cat "$FIX/dsn-delivered.eml" - >"$TMP/huge.eml"
"$SEND" -p "$PORT" --allow-reject "$TMP/huge.eml" >"$TMP/huge.log" 2>&1
check "over Postfix's size limit: refused with 552" "$(grep -c ': 552' "$TMP/huge.log")" 1

# --- not a bounce: a human reply, and a recipient that is not a VERP address
sed 's/^Subject: .*/Subject: e2e human reply/' "$FIX/human-reply.eml" >"$TMP/human.eml"
send "$TMP/human.eml"; drain 30
check "human reply: recorded as not_bounce, delivered" \
    "$(sql "SELECT string_agg(e.kind, ',') FROM mxbounce.events e JOIN mxbounce.reports r ON r.id = e.report_id WHERE r.subject = 'e2e human reply'")|$(filterlog | grep -c 'kind=not_bounce')" \
    "not_bounce|2"
"$SEND" -p "$PORT" -r "postmaster@bounces.example.com" --allow-reject "$FIX/human-reply.eml" >"$TMP/rej.log" 2>&1
check "not a VERP address: refused at RCPT" "$(grep -c 'recipient refused' "$TMP/rej.log")" 1
last=$(sql "SELECT max(id) FROM mxbounce.reports")
send "$FIX/garbage.eml"; drain 30
check "garbage over SMTP: delivered, recorded once without recipient" \
    "$(sql "SELECT count(*) || '|' || count(recipient) FROM mxbounce.events e JOIN mxbounce.reports r ON r.id = e.report_id WHERE r.id > $last AND e.kind IN ('not_bounce', 'unparseable')")" \
    "1|0"

# --- nothing was ever bounced back -----------------------------------------
check "no message bounced by Postfix" "$(maillog | grep -c 'status=bounced')" 0
check "no bounce notification generated" "$(maillog | grep -c 'sender non-delivery notification')" 0
check "queue empty at the end" "$("$SRC/scripts/postfix-tmp" queue "$PFX" | wc -l)" 0

finish
