#!/usr/bin/env bash
# replay.sh - `mxbounce replay`: stored reports classified again, events
# and suppressions brought in line, idempotently, against a real,
# throwaway PostgreSQL
#
# usage: replay.sh MXBOUNCE_FILTER MXBOUNCE SOURCE_DIR
#
# An older classifier is simulated by rewriting stored events (and the
# suppressions they made) the way different rules would have left them.
set -uo pipefail
umask 077 # the configuration files hold keys: mxbounce refuses them readable by others

FILTER=$1 MXBOUNCE=$2 SRC=$3
FIX=$SRC/tests/fixtures
. "$SRC/tests/lib.sh"
pg_setup replay
CONF=$TMP/mxbounce.conf
printf '[database]\nconninfo = %s\n[filter]\nlog = stderr\n[verp]\nkey.1 = %s\n' \
    "$CONNINFO" "$("$MXBOUNCE" verp new-key)" >"$CONF"
"$MXBOUNCE" migrate -c "$CONF" >/dev/null || { echo "Bail out! migrate failed"; exit 1; }

send() { # send FIXTURE QUEUEID RECIPIENT-TO-BIND
    local t
    t=$("$MXBOUNCE" verp make -c "$CONF" --account 42 --message 1 --recipient "$3")
    "$FILTER" -c "$CONF" -- "$2" "" "b+$t@bounces.example.com" "" <"$1" >/dev/null 2>&1 ||
        echo "Bail out! filter failed on $1"
}
send "$FIX/dsn-postfix-user-unknown.eml" Q1 alice@example.net   # hard
send "$FIX/dsn-auth-failure.eml" Q2 ken@example.com             # block
send "$FIX/arf-no-rcpt-to.eml" Q3 zoe@example.org               # complaint
send "$FIX/dsn-delayed.eml" Q4 niaj@example.org                 # delayed: never changes
supp() { sql "SELECT coalesce(string_agg(concat_ws(':', account_id, class, reason), ' ' ORDER BY account_id), '') FROM mxbounce.suppressions WHERE address = '$1'"; }
ev() { sql "SELECT concat_ws('/', e.kind, e.class, e.reason, e.classifier_version) FROM mxbounce.events e JOIN mxbounce.reports r ON r.id = e.report_id WHERE r.queue_id = '$1'"; }
VERSION=$("$MXBOUNCE" version | sed 's/.*classifier \([^,]*\),.*/\1/')
check "recorded: alice hard, suppressed here and platform-wide" "$(supp alice@example.net)" "0:hard:user_unknown 42:hard:user_unknown"
check "recorded: ken block, not suppressed" "$(ev Q2)|$(supp ken@example.com)" "bounce/block/auth_failure/$VERSION|"

# --- an "older classifier" had other opinions -----------------------------
# alice was a block then (no suppression); ken a hard bounce (suppressed,
# by that event); zoe's complaint (then with a reason) was lifted by her
# opt-in since.
sql "UPDATE mxbounce.events SET class = 'block', reason = 'content_rejected', classifier_version = '2025.01.1' WHERE recipient = 'alice@example.net';
     UPDATE mxbounce.events SET class = 'hard', reason = 'user_unknown', classifier_version = '2025.01.1' WHERE recipient = 'ken@example.com';
     UPDATE mxbounce.reports SET classifier_version = '2025.01.1' WHERE queue_id IN ('Q1', 'Q2', 'Q3', 'Q4');
     UPDATE mxbounce.events SET classifier_version = '2025.01.1' WHERE recipient IN ('zoe@example.org', 'niaj@example.org');
     UPDATE mxbounce.events SET reason = 'abuse' WHERE recipient = 'zoe@example.org';
     DELETE FROM mxbounce.suppressions WHERE address = 'alice@example.net';
     INSERT INTO mxbounce.suppressions (account_id, address, reason, class, source, first_event_id, last_event_id)
     SELECT 42, 'ken@example.com', 'user_unknown', 'hard', 'bounce', id, id FROM mxbounce.events WHERE recipient = 'ken@example.com';" >/dev/null
sql "SELECT mxbounce.opt_in(42, 'zoe@example.org', 'app', 'opted in again')" >/dev/null

# --- dry run: the changes, nothing written ------------------------------------
out=$("$MXBOUNCE" replay -c "$CONF" --dry-run 2>&1)
check "dry run: exit 0" "$?" 0
check "dry run: alice's event would change" "$(printf '%s\n' "$out" | grep -c 'event: seq 0: alice@example.net/bounce/5.1.1/block/content_rejected/verified -> alice@example.net/bounce/5.1.1/hard/user_unknown/verified')" 1
check "dry run: ken's event would change" "$(printf '%s\n' "$out" | grep -c 'event: seq 0: ken@example.com/bounce/5.7.26/hard/user_unknown/verified -> ken@example.com/bounce/5.7.26/block/auth_failure/verified')" 1
check "dry run: summary" "$(printf '%s\n' "$out" | tail -1)" \
    "mxbounce replay: 4 report(s) classified again (classifier $VERSION), 3 changed: 3 event change(s), 2 suppression(s) added, 1 lifted; dry run, nothing written"
check "dry run: nothing written" "$(ev Q1)|$(supp alice@example.net)|$(supp ken@example.com)" "bounce/block/content_rejected/2025.01.1||42:hard:user_unknown"

# --- the replay -----------------------------------------------------------------
out=$("$MXBOUNCE" replay -c "$CONF" 2>&1)
check "replay: exit 0, summary" "$?|$(printf '%s\n' "$out" | tail -1)" \
    "0|mxbounce replay: 4 report(s) classified again (classifier $VERSION), 3 changed: 3 event change(s), 2 suppression(s) added, 1 lifted"
check "replay: alice's event is hard again, current version" "$(ev Q1)" "bounce/hard/user_unknown/$VERSION"
check "replay: alice suppressed again (account and platform-wide)" "$(supp alice@example.net)" "0:hard:user_unknown 42:hard:user_unknown"
check "replay: ken's event is a block, his suppression lifted" "$(ev Q2)|$(supp ken@example.com)" "bounce/block/auth_failure/$VERSION|"
check "replay: every change logged by 'mxbounce replay'" \
    "$(sql "SELECT string_agg(concat_ws(':', account_id, address, action, why), ' ' ORDER BY id) FROM mxbounce.suppression_log WHERE who = 'mxbounce replay'")" \
    "42:alice@example.net:suppress:reclassified 0:alice@example.net:suppress:reclassified 42:ken@example.com:unsuppress:reclassified"
check "replay: the unchanged report only got the new version" "$(ev Q4)" "delayed/network_error/$VERSION"
check "replay: zoe's complaint classified again; her opt-in still holds" "$(ev Q3)|$(supp zoe@example.org)" "complaint/$VERSION|"
check "replay: ids of the report's events are new, the report the same" \
    "$(sql "SELECT count(*) FROM mxbounce.events e JOIN mxbounce.reports r ON r.id = e.report_id WHERE r.queue_id IN ('Q1', 'Q2', 'Q3', 'Q4')")|$(sql "SELECT count(*) FROM mxbounce.reports")" "4|4"

# --- idempotent ---------------------------------------------------------------------
out=$("$MXBOUNCE" replay -c "$CONF" 2>&1)
check "replay again: nothing left to classify" "$(printf '%s\n' "$out" | tail -1)" \
    "mxbounce replay: 0 report(s) classified again (classifier $VERSION), 0 changed: 0 event change(s), 0 suppression(s) added, 0 lifted"
before=$(sql "SELECT (SELECT count(*) FROM mxbounce.suppression_log) || '/' || (SELECT sum(event_count) FROM mxbounce.suppressions)")
out=$("$MXBOUNCE" replay -c "$CONF" --all 2>&1)
check "replay --all: every report read, nothing changes" \
    "$(printf '%s\n' "$out" | tail -1)|$(sql "SELECT (SELECT count(*) FROM mxbounce.suppression_log) || '/' || (SELECT sum(event_count) FROM mxbounce.suppressions)")" \
    "mxbounce replay: 4 report(s) classified again (classifier $VERSION), 0 changed: 0 event change(s), 0 suppression(s) added, 0 lifted|$before"

# --- after the key was retired, a replay keeps how events were tied ------------
sed "s|^key.1 = .*|key.2 = $("$MXBOUNCE" verp new-key)|" "$CONF" >"$TMP/retired.conf"
sql "UPDATE mxbounce.events SET reason = 'mailbox_disabled', classifier_version = 'old' WHERE recipient = 'alice@example.net';
     UPDATE mxbounce.reports SET classifier_version = 'old' WHERE queue_id = 'Q1'" >/dev/null
out=$("$MXBOUNCE" replay -c "$TMP/retired.conf" 2>&1)
check "key retired: the event is classified again" "$(printf '%s\n' "$out" | grep -c 'event: seq 0: alice')" 1
check "key retired: still tied to account 42 by the old verified token" \
    "$(sql "SELECT concat_ws('|', match, token, account_id, reason) FROM mxbounce.events WHERE recipient = 'alice@example.net'")" \
    "verified|verified|42|user_unknown"
check "key retired: the suppressions stay" "$(supp alice@example.net)" "0:hard:user_unknown 42:hard:user_unknown"

# --- --since ------------------------------------------------------------------------
# (a report's events carry its received_at: the partition key, by which
# a replay finds them)
sql "UPDATE mxbounce.reports SET classifier_version = 'x';
     UPDATE mxbounce.events SET received_at = received_at - interval '10 days' WHERE report_id IN (SELECT id FROM mxbounce.reports WHERE queue_id IN ('Q1', 'Q2'));
     UPDATE mxbounce.reports SET received_at = received_at - interval '10 days' WHERE queue_id IN ('Q1', 'Q2')" >/dev/null
out=$("$MXBOUNCE" replay -c "$CONF" --since 5d --dry-run 2>&1)
check "--since 5d: only the two recent reports" "$(printf '%s\n' "$out" | tail -1 | cut -d, -f1)" "mxbounce replay: 2 report(s) classified again (classifier $VERSION)"
out=$("$MXBOUNCE" replay -c "$CONF" --since "$(date -u -d '-20 days' +%F)" --dry-run 2>&1)
check "--since DATE: all four" "$(printf '%s\n' "$out" | tail -1 | cut -d, -f1)" "mxbounce replay: 4 report(s) classified again (classifier $VERSION)"
"$MXBOUNCE" replay -c "$CONF" --since yesterday >/dev/null 2>&1
check "--since with a bad date: usage error" "$?" 2

# --- local rules: the operator's own readings, and a replay when they change ------
cat >"$TMP/local.rules" <<'EOF'
# the DMARC refusal of one receiver read as a block of the sending host
[dmarc-at-example-com]
reason = reputation
pattern = not accepted due to domain's DMARC policy
domains = example.com
[any-domain]
reason = moved
pattern = DMARC
EOF
cp "$CONF" "$TMP/local.conf"
printf '[classify]\nlocal_rules = %s\n' "$TMP/local.rules" >>"$TMP/local.conf"
LOCAL=$("$MXBOUNCE" classify --json --local-rules "$TMP/local.rules" "$FIX/dsn-auth-failure.eml" | sed 's/.*"reason":"\([^"]*\)".*/\1/')
check "classify --local-rules: the first rule that matches decides" "$LOCAL" "reputation"
out=$("$MXBOUNCE" replay -c "$TMP/local.conf" 2>&1)
LVERSION="$VERSION+local.$(printf '%s' "$out" | tail -1 | sed -n 's/.*(classifier [^+]*+local\.\([0-9a-f]*\)).*/\1/p')"
check "local rules: the version names them (12 hex digits)" "$(printf '%s' "$LVERSION" | grep -Ec '^[0-9.]+\+local\.[0-9a-f]{12}$')" 1
check "local rules: replay reads every report again, ken's event changes" "$(printf '%s\n' "$out" | tail -1)" \
    "mxbounce replay: 4 report(s) classified again (classifier $LVERSION), 1 changed: 1 event change(s), 0 suppression(s) added, 0 lifted"
check "local rules: ken's event is the rule's reading" "$(ev Q2)" "bounce/block/reputation/$LVERSION"
check "local rules: alice (another domain's words) is the built-in reading" "$(ev Q1)" "bounce/hard/user_unknown/$LVERSION"
out=$("$MXBOUNCE" replay -c "$TMP/local.conf" 2>&1)
check "local rules: a second replay has nothing to do" "$(printf '%s\n' "$out" | tail -1 | cut -d, -f1)" \
    "mxbounce replay: 0 report(s) classified again (classifier $LVERSION)"
sed -i 's/^# the DMARC.*/# a comment changed, and the name below/; s/^\[any-domain\]/[renamed]/' "$TMP/local.rules"
out=$("$MXBOUNCE" replay -c "$TMP/local.conf" 2>&1)
check "local rules: comments and names are not the version" "$(printf '%s\n' "$out" | tail -1 | cut -d, -f1)" \
    "mxbounce replay: 0 report(s) classified again (classifier $LVERSION)"
t=$("$MXBOUNCE" verp make -c "$CONF" --account 42 --message 2 --recipient ken@example.com)
# another message (the same one again would be a duplicate, recorded once)
{ echo "X-Test: Q5"; cat "$FIX/dsn-auth-failure.eml"; } >"$TMP/q5.eml"
"$FILTER" -c "$TMP/local.conf" -- Q5 "" "b+$t@bounces.example.com" "" <"$TMP/q5.eml" >/dev/null 2>&1
check "local rules: the filter records with them" "$?|$(ev Q5)" "0|bounce/block/reputation/$LVERSION"
# the same words for a recipient of another domain than the rule's
{ echo "X-Test: Q7"; sed 's/ken@example\.com/ken@example.net/g' "$FIX/dsn-auth-failure.eml"; } >"$TMP/q7.eml"
t7=$("$MXBOUNCE" verp make -c "$CONF" --account 42 --message 3 --recipient ken@example.net)
"$FILTER" -c "$TMP/local.conf" -- Q7 "" "b+$t7@bounces.example.com" "" <"$TMP/q7.eml" >/dev/null 2>&1
check "local rules: the first rule's words for another domain: the next rule's reading" "$?|$(ev Q7)" \
    "0|bounce/hard/moved/$LVERSION"
out=$("$MXBOUNCE" replay -c "$CONF" 2>&1)
check "local rules removed: replay returns to the built-in reading" "$(printf '%s\n' "$out" | tail -1 | cut -d, -f1)|$(ev Q2)" \
    "mxbounce replay: 6 report(s) classified again (classifier $VERSION)|bounce/block/auth_failure/$VERSION"
printf '[broken]\nreason = reputation\npattern = (unclosed\n' >"$TMP/local.rules"
out=$("$FILTER" -c "$TMP/local.conf" -- Q6 "" "b+$t@bounces.example.com" "" <"$TMP/q5.eml" 2>&1)
check "broken local rules: the filter defers (75)" "$?|$out" "75|4.3.5 mxbounce: configuration error"
check "broken local rules: nothing recorded" "$(sql "SELECT count(*) FROM mxbounce.reports WHERE queue_id = 'Q6'")" 0
out=$("$MXBOUNCE" replay -c "$TMP/local.conf" 2>&1)
check "broken local rules: replay exits 1, naming the file and the rule" "$?|$(printf '%s\n' "$out" | grep -c "^mxbounce replay: $TMP/local.rules: rule \[broken\]: pattern: ")" "1|1"
check "broken local rules: other commands still run" "$("$MXBOUNCE" migrate -c "$TMP/local.conf" >/dev/null 2>&1; echo $?)" 0

finish
