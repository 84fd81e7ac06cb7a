#!/usr/bin/env bash
# filter_db.sh - mxbounce-filter against a real, throwaway PostgreSQL
#
# usage: filter_db.sh MXBOUNCE_FILTER MXBOUNCE SOURCE_DIR
#
# Starts its own cluster (scripts/pgtmp) in a temporary directory, runs the
# filter exactly as Postfix's pipe(8) would (argv after "--", message on
# stdin) and checks exit statuses, the one output line and the rows.
set -uo pipefail
umask 077 # the configuration files hold keys: mxbounce refuses them readable by others

FILTER=$1 MXBOUNCE=$2 SRC=$3
FIX=$SRC/tests/fixtures
TMP=$(mktemp -d /tmp/mxb-it.XXXXXX)
chmod 755 "$TMP"  # the postgres user must reach its directory
PG=$TMP/pg

cleanup() {
    [ -n "${LOCKER:-}" ] && kill "$LOCKER" 2>/dev/null
    "$SRC/scripts/pgtmp" stop "$PG" >/dev/null 2>&1
    rm -rf "$TMP"
}
trap cleanup EXIT

. "$SRC/tests/lib.sh"

CONNINFO=$("$SRC/scripts/pgtmp" start "$PG") || { echo "Bail out! cannot start PostgreSQL"; exit 1; }

write_conf() { # write_conf FILE CONNINFO [extra lines...]
    local f=$1 ci=$2; shift 2
    { printf '[database]\nconninfo = %s\nconnect_timeout = 5\n[filter]\nlog = stderr\ndeadline = %s\n' "$ci" "${DEADLINE:-10}"
      for l in "$@"; do printf '%s\n' "$l"; done; } >"$f"
}
CONF=$TMP/mxbounce.conf
# Trust authentication ignores the password; it is there to prove that it
# is never printed.
write_conf "$CONF" "$CONNINFO password=s3cr3t-pw" "[verp]" "key.1 = $("$MXBOUNCE" verp new-key)"
# A token for account 42, list 1, not bound to a recipient (the fixtures
# have several): hard bounces suppress for the account only.
ENVR="b+$("$MXBOUNCE" verp make -c "$CONF" --account 42 --list 1)@bounces.example.com"

# run_filter CONF FILE QUEUEID -> sets RC, OUT (stdout), ERR (stderr)
run_filter() {
    OUT=$("$FILTER" -c "$1" -- "$3" "" "$ENVR" "$ENVR" \
        "192.0.2.1" <"$2" 2>"$TMP/stderr")
    RC=$?
    ERR=$(cat "$TMP/stderr")
}
count() { sql "SELECT count(*) FROM mxbounce.$1"; }

# --- migrate -------------------------------------------------------------
out=$("$MXBOUNCE" migrate -c "$CONF" 2>&1)
check "migrate applies the schema" "$out" "mxbounce migrate: 9 migration(s) applied, schema version 9"
out=$("$MXBOUNCE" migrate -c "$CONF" 2>&1)
check "migrate twice is a no-op" "$out" "mxbounce migrate: 0 migration(s) applied, schema version 9"

# --- a bounce is recorded with the right fields --------------------------
run_filter "$CONF" "$FIX/dsn-postfix-user-unknown.eml" "4AB1C2"
check "bounce: exit 0" "$RC" 0
check "bounce: nothing on stdout" "$OUT" ""
check "bounce: one log line" "$(printf '%s\n' "$ERR" | grep -c 'result=recorded')" 1
check "bounce: event row" \
    "$(sql "SELECT concat_ws('|', queue_id, envelope_recipient, recipient, original_recipient, kind, action, status, smtp_code, class, reason, remote_mta, reporting_mta, mta, classifier_version IS NOT NULL) FROM mxbounce.events")" \
    "4AB1C2|$ENVR|alice@example.net|alice@example.net|bounce|failed|5.1.1|550|hard|user_unknown|mail.example.net|mx1.example.net|postfix|t"
check "bounce: diagnostic kept" \
    "$(sql "SELECT diagnostic FROM mxbounce.events")" \
    "550 5.1.1 <alice@example.net>: Recipient address rejected: User unknown in local recipient table"
check "bounce: report row with envelope" \
    "$(sql "SELECT concat_ws('|', queue_id, coalesce(envelope_sender, '<>'), envelope_recipient, client_address, n_events) FROM mxbounce.reports")" \
    "4AB1C2|<>|$ENVR|192.0.2.1|1"
check "bounce: raw message kept byte for byte" \
    "$(sql "SELECT encode(sha256(content), 'hex') FROM mxbounce.raw_messages")" \
    "$(sha256sum <"$FIX/dsn-postfix-user-unknown.eml" | cut -d' ' -f1)"
check "bounce: tied to account 42, list 1 by the verified token" \
    "$(sql "SELECT concat_ws('|', match, token, bound, account_id, list_id, coalesce(message_ref, -1)) FROM mxbounce.events")" \
    "verified|verified|f|42|1|-1"
check "bounce: the log line says so" "$(printf '%s\n' "$ERR" | grep -c 'token=verified match=verified')" 1
check "bounce: hard bounce suppressed for the account" \
    "$(sql "SELECT concat_ws('|', account_id, address, reason, class, event_count) FROM mxbounce.suppressions")" \
    "42|alice@example.net|user_unknown|hard|1"

# --- the same message twice: one set of rows ------------------------------
run_filter "$CONF" "$FIX/dsn-postfix-user-unknown.eml" "4AB1C3"
check "redelivery: exit 0" "$RC" 0
check "redelivery: logged as duplicate" "$(printf '%s\n' "$ERR" | grep -c 'result=duplicate')" 1
check "redelivery: still one event" "$(count events)" 1
check "redelivery: still one report" "$(count reports)" 1
check "redelivery: suppression counted once" "$(sql "SELECT event_count FROM mxbounce.suppressions")" 1
# Delivered again through another MX: a different Received line on top.
{ printf 'Received: from mx2.bounces.example.com by mx2 with ESMTP id 9ZZ;\n\tThu, 26 Nov 2026 03:20:00 +0000\n'
  cat "$FIX/dsn-postfix-user-unknown.eml"; } >"$TMP/other-path.eml"
run_filter "$CONF" "$TMP/other-path.eml" "4AB1C4"
check "redelivery by another path: exit 0, duplicate" "$RC $(printf '%s\n' "$ERR" | grep -c 'result=duplicate')" "0 1"
check "redelivery by another path: still one event" "$(count events)" 1
# And through a third, whose filters stamp it on top as they take it.
{ printf 'Received-SPF: none (mx3.bounces.example.com: no SPF record) receiver=mx3\n'
  printf 'Authentication-Results: mx3.bounces.example.com; spf=none smtp.helo=mx.example.net\n'
  printf 'ARC-Seal: i=1; a=rsa-sha256; t=1764126000; cv=none; d=bounces.example.com\n'
  printf 'X-Spam-Status: No, score=-0.1 required=5.0\nX-Rspamd-Queue-Id: 7F3A21C0\n'
  printf 'X-Virus-Scanned: clamav-milter 1.0.7 at mx3\n'
  cat "$TMP/other-path.eml"; } >"$TMP/third-path.eml"
run_filter "$CONF" "$TMP/third-path.eml" "4AB1C5"
check "redelivery with the receiver's stamps: exit 0, duplicate" "$RC $(printf '%s\n' "$ERR" | grep -c 'result=duplicate')" "0 1"
check "redelivery with the receiver's stamps: still one event, counted once" \
    "$(count events)|$(sql "SELECT event_count FROM mxbounce.suppressions")" "1|1"

# --- several recipients, every kind ---------------------------------------
run_filter "$CONF" "$FIX/dsn-multi-recipient.eml" "5CD001"
check "multi: three events in order" \
    "$(sql "SELECT string_agg(concat_ws(':', recipient, kind, class, reason), ' ' ORDER BY seq) FROM mxbounce.events e JOIN mxbounce.reports r ON r.id = e.report_id WHERE r.queue_id = '5CD001'")" \
    "carol@example.net:bounce:hard:user_unknown dave@example.net:bounce:block:content_rejected erin@example.net:delayed:network_error"
check "multi: only the hard bounce suppresses" \
    "$(sql "SELECT string_agg(address, ' ' ORDER BY address) FROM mxbounce.suppressions")" \
    "alice@example.net carol@example.net"

# --- garbage in: recorded as unparseable, exit 0 ---------------------------
run_filter "$CONF" "$FIX/garbage.eml" "6EF001"
check "garbage: exit 0" "$RC" 0
check "garbage: one unparseable event without recipient" \
    "$(sql "SELECT concat_ws('|', e.kind, coalesce(e.recipient, 'null'), r.problem) FROM mxbounce.events e JOIN mxbounce.reports r ON r.id = e.report_id WHERE r.queue_id = '6EF001'")" \
    "unparseable|null|not a MIME message"
check "garbage: raw kept" \
    "$(sql "SELECT size FROM mxbounce.raw_messages m JOIN mxbounce.reports r ON r.sha256 = m.sha256 WHERE r.queue_id = '6EF001'")" \
    "$(wc -c <"$FIX/garbage.eml")"

# --- an empty message: recorded as unparseable, exit 0 ----------------------
run_filter "$CONF" /dev/null "6EF002"
check "empty message: exit 0" "$RC" 0
check "empty message: one unparseable event, empty raw kept" \
    "$(sql "SELECT concat_ws('|', e.kind, m.size, length(m.content), m.truncated) FROM mxbounce.events e JOIN mxbounce.reports r ON r.id = e.report_id JOIN mxbounce.raw_messages m ON m.sha256 = r.sha256 WHERE r.queue_id = '6EF002'")" \
    "unparseable|0|0|f"

# --- over the size limit: recorded truncated, exit 0 ----------------------
write_conf "$TMP/small.conf" "$CONNINFO" "[limits]" "max_message_size = 2048"
{ cat "$FIX/dsn-delivered.eml"; head -c 6000 /dev/zero | tr '\0' 'x'; echo; } >"$TMP/big.eml"
run_filter "$TMP/small.conf" "$TMP/big.eml" "7AA001"
check "oversize: exit 0" "$RC" 0
check "oversize: stored 2048 bytes of the size received, flagged" \
    "$(sql "SELECT concat_ws('|', length(m.content), m.size = $(wc -c <"$TMP/big.eml"), m.truncated, r.flags & 1) FROM mxbounce.raw_messages m JOIN mxbounce.reports r ON r.sha256 = m.sha256 WHERE r.queue_id = '7AA001'")" \
    "2048|t|t|1"

# --- hostile text reaches the database as data ----------------------------
sed "s/User unknown in local recipient table/User unknown'); DROP TABLE mxbounce.events; --/; s/alice@example.net/o'brien@example.net/g" \
    "$FIX/dsn-postfix-user-unknown.eml" >"$TMP/quote.eml"
run_filter "$CONF" "$TMP/quote.eml" "8AA001"
check "SQL metacharacters: exit 0 and stored verbatim" \
    "$RC|$(sql "SELECT recipient FROM mxbounce.events e JOIN mxbounce.reports r ON r.id = e.report_id WHERE r.queue_id = '8AA001'")" \
    "0|o'brien@example.net"

# --- every fixture is recorded, none defers --------------------------------
bad=""
for f in "$FIX"/*.eml; do
    run_filter "$CONF" "$f" "FX$RANDOM"
    [ "$RC" = 0 ] || bad="$bad $(basename "$f"):$RC"
done
check "every fixture: exit 0" "$bad" ""
events_before=$(count events)

# --- usage and configuration errors defer (75) -----------------------------
"$FILTER" -c "$CONF" -- only-two args </dev/null >"$TMP/out" 2>/dev/null
check "usage error: exit 75" "$?" 75
# An empty ${recipient} is a master.cf error: deferred, as mxbounced does.
OUT=$("$FILTER" -c "$CONF" -- EMPTYR1 "" "" <"$FIX/dsn-postfix-user-unknown.eml" 2>"$TMP/stderr")
check "empty recipient: exit 75, the line" "$?|$OUT" "75|4.3.5 mxbounce: usage error"
check "empty recipient: nothing written" "$(sql "SELECT count(*) FROM mxbounce.reports WHERE queue_id = 'EMPTYR1'")" 0
OUT=$("$(dirname "$FILTER")/mxbounce-record" -c "$CONF" -- EMPTYR2 "" "" <"$FIX/dsn-postfix-user-unknown.eml" 2>/dev/null)
check "empty recipient, mxbounce-record: exit 75" "$?|$OUT" "75|4.3.5 mxbounce: usage error"
run_filter "$TMP/does-not-exist.conf" "$FIX/dsn-delivered.eml" "9AA001"
check "missing config: exit 75" "$RC" 75
check "missing config: one short line" "$OUT" "4.3.5 mxbounce: configuration error"
printf '[database]\n' >"$TMP/noconn.conf"
run_filter "$TMP/noconn.conf" "$FIX/dsn-delivered.eml" "9AA002"
check "config without conninfo: exit 75" "$RC" 75
write_conf "$TMP/badval.conf" "$CONNINFO" "[limits]" "max_recipients = lots"
run_filter "$TMP/badval.conf" "$FIX/dsn-delivered.eml" "9AA003"
check "config with a bad value: exit 75" "$RC" 75
# [limits] reach the parser: a 3 KB field and 151 structure lines, cut
write_conf "$TMP/lim.conf" "$CONNINFO" "[limits]" "max_structure_lines = 100" "max_header = 1024"
{ printf 'From: a@example.org\nX-Long: x\n'; for i in $(seq 200); do printf ' folded line %d\n' "$i"; done
  for i in $(seq 150); do printf 'X-F%d: v\n' "$i"; done; printf '\nhello\n'; } >"$TMP/lim.eml"
run_filter "$TMP/lim.conf" "$TMP/lim.eml" "9AA00L"
check "max_structure_lines and max_header from the file: cut, and both flags" \
    "$RC|$(sql "SELECT flags & 9, problem FROM mxbounce.reports WHERE queue_id = '9AA00L'")" \
    "0|9|header field truncated"
events_before=$(count events)

# --- a secret in a file others can read: refused ---------------------------
cp "$CONF" "$TMP/open.conf" && chmod 644 "$TMP/open.conf"
before=$(count reports)
run_filter "$TMP/open.conf" "$FIX/dsn-postfix-user-unknown.eml" "9AA004"
check "password readable by others: exit 75" "$RC|$OUT" "75|4.3.5 mxbounce: configuration error"
check "password readable by others: nothing written" "$(count reports)" "$before"
check "password readable by others: password not printed" "$(printf '%s\n%s\n' "$OUT" "$ERR" | grep -c 's3cr3t-pw')" 0
out=$("$MXBOUNCE" migrate -c "$TMP/open.conf" 2>&1)
# The filter's detail goes to syslog; mxbounce shares the loader and prints it.
check "password readable by others: mxbounce refuses it too, and says why" "$?|$(grep -c 'anyone may read it, and it holds the database password or VERP keys' <<<"$out")" "1|1"
check "password readable by others: mxbounce does not print it" "$(grep -c 's3cr3t-pw' <<<"$out")" 0
chmod 640 "$TMP/open.conf"
run_filter "$TMP/open.conf" "$FIX/dsn-postfix-user-unknown.eml" "9AA005"
check "the same file at 0640: exit 0" "$RC" 0
write_conf "$TMP/nosecret.conf" "$CONNINFO" && chmod 644 "$TMP/nosecret.conf"
run_filter "$TMP/nosecret.conf" "$FIX/dsn-delivered.eml" "9AA006"
check "no secret in it: others may read it" "$RC" 0
chmod 646 "$TMP/nosecret.conf"
run_filter "$TMP/nosecret.conf" "$FIX/dsn-delivered.eml" "9AA007"
check "others may change it: exit 75" "$RC|$OUT" "75|4.3.5 mxbounce: configuration error"
out=$("$MXBOUNCE" migrate -c "$TMP/nosecret.conf" 2>&1)
check "others may change it: mxbounce says why" "$(grep -c 'anyone may change it' <<<"$out")" 1

# --- schema older than the filter: refuse (75) -----------------------------
sql "CREATE DATABASE oldschema" >/dev/null
OLDCI="${CONNINFO/dbname=mxbounce/dbname=oldschema}"
write_conf "$TMP/old.conf" "$OLDCI"
run_filter "$TMP/old.conf" "$FIX/dsn-delivered.eml" "9AB001"
check "no schema: exit 75" "$RC" 75
check "no schema: says so" "$OUT" "4.3.5 mxbounce: database schema too old"
"$MXBOUNCE" migrate -c "$TMP/old.conf" >/dev/null
# Migrations short of 9: version 8 has no durable commit, which this filter needs.
psql "$OLDCI" -X -Atq -c "DELETE FROM mxbounce.schema_migrations WHERE version >= 9"
run_filter "$TMP/old.conf" "$FIX/dsn-delivered.eml" "9AB003"
check "schema one version older (8): exit 75" "$RC|$OUT" "75|4.3.5 mxbounce: database schema too old"
psql "$OLDCI" -X -Atq -c "DELETE FROM mxbounce.schema_migrations"
run_filter "$TMP/old.conf" "$FIX/dsn-delivered.eml" "9AB002"
check "older schema version: exit 75" "$RC|$OUT" "75|4.3.5 mxbounce: database schema too old"
check "older schema version: nothing written" "$(psql "$OLDCI" -X -Atq -c 'SELECT count(*) FROM mxbounce.events')" 0

# --- database hanging (a lock held): own deadline, 75, then recorded once ---
DEADLINE=2 write_conf "$TMP/fast.conf" "$CONNINFO"
sed 's/mallory@example.net/oscar@example.net/g' "$FIX/dsn-mailbox-full-552.eml" >"$TMP/lock.eml"
psql "$CONNINFO" -X -q -c "BEGIN; LOCK TABLE mxbounce.reports IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(30);" >/dev/null 2>&1 &
LOCKER=$!
sleep 1
start=$(date +%s)
run_filter "$TMP/fast.conf" "$TMP/lock.eml" "AAA001"
took=$(( $(date +%s) - start ))
check "lock held: exit 75" "$RC" 75
check "lock held: deadline line" "$OUT" "4.4.7 mxbounce: deadline exceeded"
check "lock held: gave up within the deadline (<= 4 s)" "$([ "$took" -le 4 ] && echo yes || echo "no, $took s")" yes
kill "$LOCKER" 2>/dev/null; wait "$LOCKER" 2>/dev/null; LOCKER=
sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()" >/dev/null
check "lock held: nothing written" "$(count events)" "$events_before"
run_filter "$CONF" "$TMP/lock.eml" "AAA001"
check "lock released, retried: exit 0" "$RC" 0
run_filter "$CONF" "$TMP/lock.eml" "AAA001"
check "lock released, retried twice: recorded once" \
    "$(sql "SELECT count(*) FROM mxbounce.events WHERE recipient = 'oscar@example.net'")" 1

# --- database down: 75, nothing written, then recorded once ----------------
"$SRC/scripts/pgtmp" stop "$PG" >/dev/null
{ sed 's/mallory@example.net/nadia@example.net/g' "$FIX/dsn-mailbox-full-552.eml"; } >"$TMP/down.eml"
run_filter "$CONF" "$TMP/down.eml" "BBB001"
check "database down: exit 75" "$RC" 75
check "database down: one short line" "$OUT" "4.3.0 mxbounce: database unavailable"
check "database down: password not printed" "$(printf '%s\n%s\n' "$OUT" "$ERR" | grep -c 's3cr3t-pw')" 0
"$SRC/scripts/pgtmp" start "$PG" >/dev/null
check "database down: nothing written" "$(sql "SELECT count(*) FROM mxbounce.events WHERE recipient = 'nadia@example.net'")" 0
run_filter "$CONF" "$TMP/down.eml" "BBB001"
check "database back: exit 0" "$RC" 0
run_filter "$CONF" "$TMP/down.eml" "BBB001"
check "database back: recorded exactly once" \
    "$(sql "SELECT count(*) FROM mxbounce.events WHERE recipient = 'nadia@example.net'")" 1

# --- log lines stay bounded (filter/include/mxb/log.h, docs/limits.md) ------
# An error of libpq keeps its first line, cut at MXB_DB_MESSAGE_MAX (200
# bytes): its message names the host name, which grows it byte for byte
# (no DNS query: a label over 63 bytes is refused at once). The detail is
# "cannot connect: " and that line; a deferral's detail is also cut at
# MXB_LOG_DETAIL_MAX (300), which no detail reaches.
KEY=$("$MXBOUNCE" verp new-key)
detail_for() { # detail_for HOST_LENGTH -> sets RC and D, the logged detail
    write_conf "$TMP/longerr.conf" "host=$(printf '%*s' "$1" '' | tr ' ' h) dbname=x" "[verp]" "key.1 = $KEY"
    run_filter "$TMP/longerr.conf" "$FIX/dsn-postfix-user-unknown.eml" "LOG001"
    D=$(printf '%s\n' "$ERR" | sed -n 's/.* detail="cannot connect: //p' | sed 's/"$//')
}
detail_for 80
check "a long error: exit 75, the line read" "$RC|$(printf '%s' "$D" | grep -c 'could not translate host name')" "75|1"
at=$((80 + 200 - ${#D}))
detail_for "$at"
check "libpq's message of 200 bytes: whole" "${#D}|${D: -6}" "200| known"
detail_for $((at + 1))
check "libpq's message of 201 bytes: cut at 200" "${#D}|${D: -6}" "200|t know"

# Six recipients of 131-byte addresses, a sender of 200 bytes and a From:
# past the colon limit (a problem of 37 bytes): the line names five
# recipients (MXB_LOG_RCPTS_MAX), each cut at MXB_LOG_FIELD_MAX (100 bytes)
# as the sender is, and its text is cut at MXB_LOG_LINE_MAX (900 bytes;
# uncut it would be about 940).
long_fields_message "$TMP/loglong.eml"
LONGSENDER=$(printf '%*s' 188 '' | tr ' ' s)@example.org
"$FILTER" -c "$CONF" -- LOG002 "$LONGSENDER" "$ENVR" "$ENVR" 192.0.2.1 <"$TMP/loglong.eml" >/dev/null 2>"$TMP/stderr"
RC=$?
ERR=$(cat "$TMP/stderr")
check "long fields: exit 0, one log line" "$RC|$(printf '%s\n' "$ERR" | wc -l)" "0|1"
check "long fields: six events recorded" \
    "$(sql "SELECT n_events, problem FROM mxbounce.reports WHERE queue_id = 'LOG002'")" \
    "6|header field truncated at colon limit"
text=${ERR#*: LOG002: }
check "long fields: the line's text cut at 900 bytes" "$(printf '%s' "$text" | wc -c)" 900
rcpts=$(printf '%s' "$text" | sed -n 's/.* rcpts=\([^ ]*\) .*/\1/p')
check "long fields: five of six recipients named" "$(printf '%s\n' "$rcpts" | tr ',' '\n' | wc -l)" 5
check "long fields: each recipient cut at 100 bytes" \
    "$(printf '%s\n' "$rcpts" | tr ',' '\n' | cut -d: -f1 | awk '{ print length }' | sort -u)" 100
sender=$(printf '%s' "$text" | sed -n 's/.* sender=<\([^>]*\)>.*/\1/p')
check "long fields: the sender cut at 100 bytes" "${#sender}" 100

# --- the delivery agent dies mid-message: nothing recorded ----------------
# Postfix's pipe(8) killed after writing 40 KB of a 90 KB report (postfix
# stop): the filter dies with it (its parent-death signal), so the prefix
# it read is not recorded; the whole message, delivered again, is, once.
{ sed 's/alice@example.net/partial@example.net/g' "$FIX/dsn-postfix-user-unknown.eml"
  head -c 60000 /dev/zero | tr '\0' 'x' | fold -w 76; } >"$TMP/partial.eml"
check "agent dies mid-message: the filter is killed with it or defers" \
    "$(killed_or_deferred "$(agent_dies "$TMP/partial.eml" 40000 "$FILTER" -c "$CONF" -- PART01 "" "$ENVR" "$ENVR" 192.0.2.1)")" "killed or deferred"
check "agent dies mid-message: nothing recorded" \
    "$(sql "SELECT count(*) FROM mxbounce.reports WHERE queue_id = 'PART01'")" 0
run_filter "$CONF" "$TMP/partial.eml" "PART02"
check "delivered again whole: recorded once" \
    "$RC|$(sql "SELECT count(*) FROM mxbounce.events WHERE recipient = 'partial@example.net'")" "0|1"
# The watch alone: mxbounce-record under a shell that stands for the
# filter and lives on (no parent-death signal, so its parent stays), told
# the agent's pid as the filter tells it.
sed 's/partial@example.net/watched@example.net/g' "$TMP/partial.eml" >"$TMP/watched.eml"
check "agent dies, the filter's stand-in lives: mxbounce-record defers" \
    "$(AGENT_PID_ENV=1 agent_dies "$TMP/watched.eml" 40000 /bin/sh -c '"$0" "$@"; exit $?' \
        "$(dirname "$FILTER")/mxbounce-record" -c "$CONF" -- PART03 "" "$ENVR")" "exit 75"
check "agent dies, the filter's stand-in lives: nothing recorded" \
    "$(sql "SELECT count(*) FROM mxbounce.reports WHERE queue_id = 'PART03'")" 0

# --- a deadlock is tried again (MXB_RECORD_BUSY_RETRIES, 3) -----------------
# A test trigger (not the schema's) fails a report's insert with SQLSTATE
# 40P01, as PostgreSQL does to the victim of a deadlock, as many times as
# its sequence allows: three times are retried and the fourth try records
# it; four failures, one past, defer it ("database busy"), nothing written.
sql "CREATE SEQUENCE mxbounce.test_busy;
     CREATE FUNCTION mxbounce.test_busy() RETURNS trigger LANGUAGE plpgsql AS
       \$\$BEGIN IF NEW.queue_id LIKE 'BUSY%' AND nextval('mxbounce.test_busy') <= 4 THEN
         RAISE EXCEPTION 'deadlock detected (test)' USING ERRCODE = '40P01'; END IF;
       RETURN NEW; END\$\$;
     CREATE TRIGGER test_busy BEFORE INSERT ON mxbounce.reports
       FOR EACH ROW EXECUTE FUNCTION mxbounce.test_busy()"
sed 's/alice@example.net/busy@example.net/g' "$FIX/dsn-postfix-user-unknown.eml" >"$TMP/busy.eml"
sql "SELECT setval('mxbounce.test_busy', 1, false)" >/dev/null # fails 4 times
run_filter "$CONF" "$TMP/busy.eml" "BUSY01"
check "four deadlocks in a row: exit 75, database busy, nothing written" \
    "$RC|$OUT|$(sql "SELECT count(*) FROM mxbounce.events WHERE recipient = 'busy@example.net'")" \
    "75|4.3.0 mxbounce: database busy|0"
check "four deadlocks in a row: the log says which" "$(printf '%s\n' "$ERR" | grep -c 'detail="40P01 ')" 1
sql "SELECT setval('mxbounce.test_busy', 2, false)" >/dev/null # fails 3 times
run_filter "$CONF" "$TMP/busy.eml" "BUSY02"
check "three deadlocks, then through: exit 0, recorded once" \
    "$RC|$(sql "SELECT count(*) FROM mxbounce.events WHERE recipient = 'busy@example.net'")|$(sql "SELECT nextval('mxbounce.test_busy')")" \
    "0|1|6"
sql "DROP TRIGGER test_busy ON mxbounce.reports; DROP FUNCTION mxbounce.test_busy(); DROP SEQUENCE mxbounce.test_busy"

# --- exit 0 is durable, whatever synchronous_commit says (009) ---------------
# With synchronous_commit = off a commit returns before its WAL is written;
# the WAL writer, told to wait 10 s, does not write it either, so a crash
# right after the filter's exit 0 lost the report. record_report turns the
# setting on for its own transaction. (The tests' server runs with fsync
# off: a written WAL record survives the server's crash, not the machine's.)
sql "ALTER SYSTEM SET synchronous_commit = off" >/dev/null
sql "ALTER SYSTEM SET wal_writer_delay = '10s'" >/dev/null
sql "SELECT pg_reload_conf()" >/dev/null
check "synchronous_commit off for the test" "$(sql "SHOW synchronous_commit")" off
sed 's/alice@example.net/durable@example.net/g' "$FIX/dsn-postfix-user-unknown.eml" >"$TMP/durable.eml"
run_filter "$CONF" "$TMP/durable.eml" "DUR001"
"$SRC/scripts/pgtmp" crash "$PG"
check "durable: exit 0, then the server crashed" "$RC|$(pgrep -f "$PG/data" >/dev/null && echo up || echo down)" "0|down"
"$SRC/scripts/pgtmp" start "$PG" >/dev/null
check "durable: the report is there after the crash" \
    "$(sql "SELECT count(*) FROM mxbounce.events WHERE recipient = 'durable@example.net'")" 1
# setting_at_commit SETTING QUEUE_ID - synchronous_commit as a transaction
# that calls record_report under SETTING has it when it commits
setting_at_commit() {
    psql "$CONNINFO" -X -Atq -v ON_ERROR_STOP=1 <<SQL | tail -n 1
BEGIN;
SET LOCAL synchronous_commit = $1;
SELECT outcome FROM mxbounce.record_report(0, sha256('$2'::bytea), '\\x00', 1,
    '{"queue_id": "$2", "classifier_version": "t"}', '[]');
SELECT current_setting('synchronous_commit');
COMMIT;
SQL
}
check "durable: a caller's transaction under 'off' commits with it on" "$(setting_at_commit off DUR002)" on
check "durable: local, remote_apply are left as they are" \
    "$(setting_at_commit local DUR003)|$(setting_at_commit remote_apply DUR004)" "local|remote_apply"
sql "ALTER SYSTEM RESET synchronous_commit" >/dev/null
sql "ALTER SYSTEM RESET wal_writer_delay" >/dev/null
sql "SELECT pg_reload_conf()" >/dev/null

# --- a server's notices are not printed: one line --------------------------
# A test trigger raises a WARNING (as the server does to every session when
# another backend crashed): libpq printed it, with its DETAIL and HINT, on
# standard error, before the filter's own line.
sql "CREATE FUNCTION mxbounce.test_warn() RETURNS trigger LANGUAGE plpgsql AS
       \$\$BEGIN RAISE WARNING 'test warning' USING DETAIL = 'a detail', HINT = 'a hint';
       RETURN NEW; END\$\$;
     CREATE TRIGGER test_warn BEFORE INSERT ON mxbounce.reports
       FOR EACH ROW EXECUTE FUNCTION mxbounce.test_warn()"
sed 's/alice@example.net/warned@example.net/g' "$FIX/dsn-postfix-user-unknown.eml" >"$TMP/warned.eml"
run_filter "$CONF" "$TMP/warned.eml" "WARN01"
check "a server's WARNING: exit 0, one line, nothing on stdout" \
    "$RC|$(printf '%s\n' "$ERR" | wc -l)|$(printf '%s\n' "$ERR" | grep -c 'result=recorded')|$OUT" "0|1|1|"
sql "DROP TRIGGER test_warn ON mxbounce.reports; DROP FUNCTION mxbounce.test_warn()"

# --- memory runs out: 75 with a line, nothing written -----------------------
# Under an address-space limit GLib aborts (SIGTRAP) when mxbounce-record
# cannot grow its buffer for a 40 MB message, and at a lower one the
# dynamic loader cannot map its libraries (exit 127, which Postfix would
# bounce on): mxbounce-filter turns both into 75 with its line. (Not in
# sanitizer builds: ASan needs the address space.)
if [ "${MXB_SANITIZED:-0}" != 1 ]; then
    write_conf "$TMP/bigmsg.conf" "$CONNINFO" "[limits]" "max_message_size = 41943040"
    { sed 's/alice@example.net/nomem@example.net/g' "$FIX/dsn-postfix-user-unknown.eml"
      head -c 30000000 /dev/zero | base64; } >"$TMP/nomem.eml"
    for as in 60000 20000; do
        OUT=$(ulimit -v "$as"; "$FILTER" -c "$TMP/bigmsg.conf" -- "NOMEM$as" "" "$ENVR" <"$TMP/nomem.eml" 2>/dev/null)
        RC=$?
        check "memory limit ${as} KB: exit 75 with a line" "$RC|$OUT" "75|4.3.0 mxbounce: recording failed"
    done
    check "memory limits: nothing written" \
        "$(sql "SELECT count(*) FROM mxbounce.events WHERE recipient = 'nomem@example.net'")" 0
    run_filter "$TMP/bigmsg.conf" "$TMP/nomem.eml" "NOMEM0"
    check "memory back: recorded" \
        "$RC|$(sql "SELECT count(*) FROM mxbounce.events WHERE recipient = 'nomem@example.net'")" "0|1"
fi

# --- started with SIGCHLD ignored (a wrapper's doing): still waits ---------
sed 's/alice@example.net/sigchld@example.net/g' "$FIX/dsn-postfix-user-unknown.eml" >"$TMP/sigchld.eml"
python3 -c 'import os, signal, sys; signal.signal(signal.SIGCHLD, signal.SIG_IGN); os.execv(sys.argv[1], sys.argv[1:])' \
    "$FILTER" -c "$CONF" -- SIGCHLD1 "" "$ENVR" <"$TMP/sigchld.eml" >/dev/null 2>&1
check "SIGCHLD ignored by whoever started it: exit 0, recorded" \
    "$?|$(sql "SELECT count(*) FROM mxbounce.events WHERE recipient = 'sigchld@example.net'")" "0|1"

finish
