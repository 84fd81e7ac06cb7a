#!/usr/bin/env bash
# retention.sh - monthly partitions of events, the upgrade that creates
# them, and `mxbounce retention`, against a real, throwaway PostgreSQL
#
# usage: retention.sh MXBOUNCE_FILTER MXBOUNCE SOURCE_DIR
set -uo pipefail
umask 077 # the configuration files hold keys: mxbounce refuses them readable by others

FILTER=$1 MXBOUNCE=$2 SRC=$3
FIX=$SRC/tests/fixtures
. "$SRC/tests/lib.sh"
one_utc_day 150
pg_setup retention

# --- the upgrade from schema 3 keeps every event -------------------------------
# Schema 3 as an older mxbounce left it, with two events in it.
psql "$CONNINFO" -X -q -v ON_ERROR_STOP=1 -c "CREATE SCHEMA mxbounce; CREATE TABLE mxbounce.schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())" >/dev/null
for f in "$SRC"/db/sql/00[1-3]_*.sql; do
    psql "$CONNINFO" -X -q -v ON_ERROR_STOP=1 -f "$f" >/dev/null 2>"$TMP/old.err" ||
        { echo "Bail out! $f: $(cat "$TMP/old.err")"; exit 1; }
    n=$(basename "$f" | cut -c1-3)
    sql "INSERT INTO mxbounce.schema_migrations VALUES (${n#00}, '$(basename "$f" .sql)')"
done
sql "INSERT INTO mxbounce.reports (sha256, received_at, classifier_version, n_events) VALUES (sha256('a'), '2025-03-05 10:00+00', 'old', 1), (sha256('b'), now(), 'old', 1);
     INSERT INTO mxbounce.events (report_id, seq, received_at, recipient, kind, class, classifier_version)
     VALUES ((SELECT id FROM mxbounce.reports WHERE sha256 = sha256('a')), 0, '2025-03-05 10:00+00', 'Old@Example.NET', 'bounce', 'hard', 'old'),
            ((SELECT id FROM mxbounce.reports WHERE sha256 = sha256('b')), 0, now(), 'new@bücher.example', 'bounce', 'soft', 'old')" >/dev/null
printf '[database]\nconninfo = %s\n[verp]\nkey.1 = %s\n' "$CONNINFO" "$("$MXBOUNCE" verp new-key)" >"$TMP/mxbounce.conf"
out=$("$MXBOUNCE" migrate -c "$TMP/mxbounce.conf" 2>&1)
check "migrate 3 -> 9" "$out" "mxbounce migrate: 6 migration(s) applied, schema version 9"
check "events is partitioned by range" "$(sql "SELECT c.relkind::text || ':' || p.partstrat::text FROM pg_class c JOIN pg_partitioned_table p ON p.partrelid = c.oid WHERE c.oid = 'mxbounce.events'::regclass")" "p:r"
MONTH=$(date -u +%Y%m)
check "upgrade: both events kept, each in its month's partition" \
    "$(sql "SELECT string_agg(tableoid::regclass || ':' || recipient, ' ' ORDER BY received_at) FROM mxbounce.events")" \
    "mxbounce.events_202503:Old@Example.NET mxbounce.events_$MONTH:new@bücher.example"
check "upgrade: address keys made for the old events" \
    "$(sql "SELECT string_agg(recipient_key || ':' || match, ' ' ORDER BY received_at) FROM mxbounce.events")" \
    "old@example.net:none new@xn--bcher-kva.example:none"
check "upgrade: the default partition is empty" "$(sql "SELECT count(*) FROM mxbounce.events_default")" 0
ahead=$(date -u -d "$(date -u +%Y-%m-01) +3 months" +%Y%m)
check "partitions exist three months ahead" "$(sql "SELECT to_regclass('mxbounce.events_$ahead') IS NOT NULL")" t
check "new ids continue the old sequence" \
    "$(sql "SELECT nextval('mxbounce.events_id_seq') > max(id) FROM mxbounce.events")" t

# --- the filter writes into the partitioned table ------------------------------
ENVR="b+$("$MXBOUNCE" verp make -c "$TMP/mxbounce.conf" --account 7 --message 1 --recipient alice@example.net)@bounces.example.com"
"$FILTER" -c "$TMP/mxbounce.conf" -- R1 "" "$ENVR" "$ENVR" <"$FIX/dsn-postfix-user-unknown.eml" >/dev/null 2>&1
check "filter: recorded into this month's partition, suppressed" \
    "$?|$(sql "SELECT tableoid::regclass FROM mxbounce.events WHERE recipient = 'alice@example.net'")|$(sql "SELECT mxbounce.is_suppressed(7, 'alice@example.net')")" \
    "0|mxbounce.events_$MONTH|t"
# A row no partition covers goes to the default partition; ensure_partitions
# later moves it into its own month.
sql "UPDATE mxbounce.events SET received_at = '2024-01-15 12:00+00' WHERE recipient = 'new@bücher.example'" >/dev/null
check "a month without partition: the default partition takes the row" \
    "$(sql "SELECT count(*) FROM mxbounce.events_default")" 1
check "ensure_partitions moves it into its month" \
    "$(sql "SELECT string_agg(x, ' ') FROM mxbounce.ensure_partitions() x")|$(sql "SELECT count(*) FROM mxbounce.events_default")|$(sql "SELECT tableoid::regclass FROM mxbounce.events WHERE recipient = 'new@bücher.example'")" \
    "events_202401|0|mxbounce.events_202401"

# --- retention -------------------------------------------------------------------
sql "UPDATE mxbounce.reports SET received_at = '2024-01-15 12:00+00' WHERE sha256 = sha256('b');
     UPDATE mxbounce.raw_messages SET received_at = now() - interval '100 days';
     INSERT INTO mxbounce.messages (message_id, account_id, sent_at) VALUES ('old@x', 7, now() - interval '100 days'), ('new@x', 7, now());
     INSERT INTO mxbounce.suppressions (account_id, address, reason, class, expires_at) VALUES (7, 'gone@example.net', 'mailbox_full', 'soft', now() - interval '1 day')" >/dev/null
out=$("$MXBOUNCE" retention -c "$TMP/mxbounce.conf" --dry-run 2>&1)
check "retention --dry-run names what would go" \
    "$(printf '%s\n' "$out" | grep -E 'partitions dropped|reports|raw messages|registered|expired' | sed 's/ (older.*//; s/older than.*//' | tr '\n' ';')" \
    "mxbounce retention: would go, event partitions dropped: 2 events_202401 events_202503;mxbounce retention: would go, reports: 2 ;mxbounce retention: would go, raw messages: 1 ;mxbounce retention: would go, registered messages: 1 ;mxbounce retention: would go, expired suppressions: 1;"
check "retention --dry-run changed nothing" \
    "$(sql "SELECT count(*) FROM mxbounce.events")|$(sql "SELECT count(*) FROM mxbounce.reports")" "3|3"
out=$("$MXBOUNCE" retention -c "$TMP/mxbounce.conf" 2>&1)
check "retention: exit 0, says what went" "$?|$(printf '%s\n' "$out" | grep -c 'event partitions dropped: 2')" "0|1"
check "retention: old partitions dropped, this month's kept" \
    "$(sql "SELECT to_regclass('mxbounce.events_202401') IS NULL AND to_regclass('mxbounce.events_202503') IS NULL AND to_regclass('mxbounce.events_$MONTH') IS NOT NULL")|$(sql "SELECT string_agg(recipient, ' ') FROM mxbounce.events")" \
    "t|alice@example.net"
check "retention: old reports, raw messages, registered messages gone" \
    "$(sql "SELECT count(*) FROM mxbounce.reports")|$(sql "SELECT count(*) FROM mxbounce.raw_messages")|$(sql "SELECT string_agg(message_id, ' ') FROM mxbounce.messages")" \
    "1|0|new@x"
check "retention: the expired suppression removed and logged" \
    "$(sql "SELECT count(*) FROM mxbounce.suppressions WHERE address = 'gone@example.net'")|$(sql "SELECT concat_ws(':', action, who, why) FROM mxbounce.suppression_log WHERE address = 'gone@example.net'")" \
    "0|unsuppress:mxbounce retention:expired"
out=$("$MXBOUNCE" retention -c "$TMP/mxbounce.conf" 2>&1)
check "retention again: nothing to do, nothing printed (cron stays quiet)" "$?|$out" "0|"
check "policy.event_retention is the knob: 1 day keeps this month" \
    "$(sql "UPDATE mxbounce.policy SET event_retention = '1 day'; SELECT count(*) FROM mxbounce.drop_old_partitions(true)")" 0

finish
