#!/usr/bin/env bash
# policy.sh - signed VERP tokens, correlation, the suppression policy, the
# app's SQL API and the three roles, against a real, throwaway PostgreSQL
#
# usage: policy.sh MXBOUNCE_FILTER MXBOUNCE SOURCE_DIR
#
# Runs the filter as Postfix's pipe(8) would, with tokens made by
# `mxbounce verp make`, forged, tampered, expired and unknown-key tokens,
# and checks events, suppressions and the audit log row by row.
set -uo pipefail
umask 077 # the configuration files hold keys: mxbounce refuses them readable by others

FILTER=$1 MXBOUNCE=$2 SRC=$3
FIX=$SRC/tests/fixtures
. "$SRC/tests/lib.sh"
one_utc_day 150
pg_setup policy

KEY1=$("$MXBOUNCE" verp new-key) KEY2=$("$MXBOUNCE" verp new-key)
CONF=$TMP/mxbounce.conf
cat >"$CONF" <<EOF
[database]
conninfo = $CONNINFO
connect_timeout = 5
[filter]
log = stderr
deadline = 10
[verp]
domain = bounces.example.com
key.1 = $KEY1
key.2 = $KEY2
EOF
# Another platform's keys: the same ids, other secrets; and a key id ours lacks.
# (only keys: making tokens needs no database)
cat >"$TMP/other.conf" <<EOF
[verp]
key.1 = $("$MXBOUNCE" verp new-key)
key.9 = $("$MXBOUNCE" verp new-key)
EOF
"$MXBOUNCE" migrate -c "$CONF" >/dev/null || { echo "Bail out! migrate failed"; exit 1; }
TODAY=$(( $(date -u +%s) / 86400 ))

tok() { "$MXBOUNCE" verp make -c "$CONF" "$@"; }
# send FIXTURE QUEUEID ENVELOPE_RECIPIENT [MARKER] -> RC, ERR. A marker
# header makes the content (and so the dedup hash) new.
send() {
    local in=$1
    if [ -n "${4:-}" ]; then
        { printf 'X-Test-Marker: %s\n' "$4"; cat "$1"; } >"$TMP/msg.eml"
        in=$TMP/msg.eml
    fi
    "$FILTER" -c "${CONF_OVERRIDE:-$CONF}" -- "$2" "" "$3" "$3" 192.0.2.1 <"$in" >/dev/null 2>"$TMP/err"
    RC=$?
    ERR=$(cat "$TMP/err")
}
event() { # event QUEUEID -> match|token|bound|account|list|message
    sql "SELECT string_agg(concat_ws('|', e.match, coalesce(e.token, '-'), e.bound, coalesce(e.account_id, -1), coalesce(e.list_id, -1), coalesce(e.message_ref, -1)), ' ' ORDER BY e.seq) FROM mxbounce.events e JOIN mxbounce.reports r ON r.id = e.report_id WHERE r.queue_id = '$1'"
}
supp() { # supp ADDRESS -> account:class:reason ... in account order
    sql "SELECT coalesce(string_agg(concat_ws(':', account_id, class, reason, expires_at IS NOT NULL), ' ' ORDER BY account_id), '') FROM mxbounce.suppressions WHERE address = '$1'"
}
is_supp() { sql "SELECT mxbounce.is_suppressed($1, '$2')"; }
today() { echo $(($(date -u +%s) / 86400)); }

# --- the same token from SQL and from mxbounce verp make ---------------------
out=$("$MXBOUNCE" verp sync-keys -c "$CONF")
check "sync-keys copies the keys" "$out" "mxbounce verp sync-keys: 2 key(s), signing key 2"
same=0 cases=0
while IFS='|' read -r cli sqlargs; do
    cases=$((cases + 1))
    # Made across midnight (UTC), the two would name different days: make
    # them again then.
    for _ in 1 2; do
        d0=$(today)
        a=$(eval "tok $cli") b=$(sql "SELECT mxbounce.verp_token($sqlargs)")
        [ "$d0" == "$(today)" ] && break
    done
    if [ -n "$a" ] && [ "$a" == "$b" ]; then same=$((same + 1)); else echo "# cli $cli: $a, sql: $b"; fi
done <<EOF
--account 42 --message 1234567|42, 1234567
--account 42 --list 7|42, 7, true
--account 1 --message 0 --key 1|1, 0, false, NULL, 1
--account 9223372036854775807 --message 9223372036854775807|9223372036854775807, 9223372036854775807
--account 42 --message 5 --recipient Bob@Example.COM|42, 5, false, 'bob@example.com'
--account 42 --list 5 --recipient 'x@Bücher.example'|42, 5, true, 'X@bücher.EXAMPLE'
--account 42 --message 5 --recipient 'a@例え.テスト' --day 20000|42, 5, false, 'a@例え.テスト', NULL, 20000
--account 42 --message 5 --day 65535 --key 1|42, 5, false, NULL, 1, 65535
EOF
check "verp tokens: SQL and mxbounce verp make agree byte for byte" "$same/$cases" "$cases/$cases"
check "address keys: IDN domains as A-labels" \
    "$(sql "SELECT string_agg(coalesce(mxbounce.address_key(a), 'NULL'), ' ' ORDER BY n) FROM unnest(ARRAY['Bob@Bücher.Example', 'x@münchen.de', 'a@例え.テスト', 'b@ÄÖÜ.example', '<Carol@Example.ORG.>', 'no-at-sign', 'a@example.com..', 'x@a＠b.de', 'y@xn--bücher.de']) WITH ORDINALITY AS t(a, n)")" \
    "bob@xn--bcher-kva.example x@xn--mnchen-3ya.de a@xn--r8jz45g.xn--zckzah b@xn--4ca0bs.example carol@example.org NULL a@example.com NULL NULL"
"$MXBOUNCE" verp make -c "$CONF" --account 0 --message 1 >/dev/null 2>&1
check "verp make refuses account 0 (the platform)" "$?" 2

# --- a verified, bound hard bounce: account and platform-wide -------------------
T=$(tok --account 42 --message 100 --recipient alice@example.net)
send "$FIX/dsn-postfix-user-unknown.eml" Q1 "b+$T@bounces.example.com"
check "bound hard bounce: exit 0" "$RC" 0
check "bound hard bounce: verified, tied to account 42, message 100" "$(event Q1)" "verified|verified|t|42|-1|100"
check "bound hard bounce: the report says its token verified" "$(sql "SELECT token FROM mxbounce.reports WHERE queue_id = 'Q1'")" verified
check "bound hard bounce: suppressed for the account and platform-wide" "$(supp alice@example.net)" "0:hard:user_unknown:f 42:hard:user_unknown:f"
check "is_suppressed: any case, any account (platform-wide)" \
    "$(is_supp 42 'ALICE@Example.NET') $(is_supp 7 alice@example.net) $(is_supp 42 bob@example.net)" "t t f"
check "audit: the suppression is logged with its event" \
    "$(sql "SELECT string_agg(concat_ws(':', account_id, action, class, who, event_id IS NOT NULL), ' ' ORDER BY account_id) FROM mxbounce.suppression_log WHERE address = 'alice@example.net'")" \
    "0:suppress:hard:mxbounce-filter:t 42:suppress:hard:mxbounce-filter:t"

# --- unbound (list) token, upper-cased by an MTA: account only ----------------
sed 's/alice@example.net/carl@example.net/g' "$FIX/dsn-postfix-user-unknown.eml" >"$TMP/carl.eml"
T=$(tok --account 43 --list 5)
send "$TMP/carl.eml" Q2 "B+${T^^}@BOUNCES.EXAMPLE.COM"
check "upper-cased list token: verified, list 5" "$(event Q2)" "verified|verified|f|43|5|-1"
check "unbound token: suppressed for the account only" "$(supp carl@example.net)" "43:hard:user_unknown:f"

# --- forged bounces never suppress -------------------------------------------
sed 's/alice@example.net/victim@example.net/g' "$FIX/dsn-postfix-user-unknown.eml" >"$TMP/victim.eml"
GOOD=$(tok --account 42 --message 200)
BADMAC=${GOOD:0:47}$([ "${GOOD:47:1}" = a ] && echo b || echo a)
BADACCT=${GOOD:0:12}$([ "${GOOD:12:1}" = a ] && echo b || echo a)${GOOD:13}
EXPIRED=$(tok --account 42 --message 200 --day $((TODAY - 61)))
OTHERKEY=$("$MXBOUNCE" verp make -c "$TMP/other.conf" --account 42 --message 200 --key 1)
UNKNOWN=$("$MXBOUNCE" verp make -c "$TMP/other.conf" --account 42 --message 200 --key 9)
n=0
for case in "bad_mac:$BADMAC" "bad_mac:$BADACCT" "expired:$EXPIRED" "bad_mac:$OTHERKEY" \
            "unknown_key:$UNKNOWN" "malformed:hello" "malformed:${GOOD}a"; do
    n=$((n + 1))
    want=${case%%:*} t=${case#*:}
    send "$TMP/victim.eml" "F$n" "b+$t@bounces.example.com" "forged-$n"
    check "forged ($want): recorded, exit 0, not tied" "$RC|$(event "F$n")" "0|none|$want|f|-1|-1|-1"
done
send "$TMP/victim.eml" F9 "b@bounces.example.com" "forged-9"
check "no token at all: recorded, not tied" "$RC|$(event F9)" "0|none|-|f|-1|-1|-1"
check "forged bounces: the address is not suppressed" "$(supp victim@example.net)|$(is_supp 42 victim@example.net)" "|f"
check "forged bounces: each logged with its verdict" "$(printf '%s\n' "$ERR" | grep -c 'token=none match=none')" 1

# --- matched through the returned headers: recorded, never suppresses --------
sql "SELECT mxbounce.register_message('<n1126.a7q2.0001@sender.example.com>', 44, 3, 300, 'alice@example.net')" >/dev/null
send "$FIX/dsn-postfix-user-unknown.eml" H1 "b@bounces.example.com" "header-1"
check "registered Message-ID: matched 'header', account 44" "$(event H1)" "header|-|f|44|3|300"
check "header match: no suppression for account 44" "$(sql "SELECT count(*) FROM mxbounce.suppressions WHERE account_id = 44")" 0
# The DSN's Original-Envelope-Id carrying an unbound token
sed "s/^X-Postfix-Queue-ID: 7C41E2A0F3/Original-Envelope-Id: $(tok --account 45 --list 8)/" \
    "$TMP/victim.eml" >"$TMP/envid.eml"
send "$TMP/envid.eml" H2 "b@bounces.example.com"
check "ENVID token: matched 'header', account 45" "$(event H2)" "header|verified|f|45|8|-1"
check "ENVID token: no suppression" "$(supp victim@example.net)" ""

# --- complaints: the platform header carries a bound token (feedback loops
# send to a fixed address, not to the VERP sender) ------------------------------
T=$(tok --account 42 --message 400 --recipient zoe@example.org)
sed "s/^Message-ID: <n1126.j4k5.0009@sender.example.com>/&\nX-Mxbounce-Token: $T/" \
    "$FIX/arf-no-rcpt-to.eml" >"$TMP/arf.eml"
send "$TMP/arf.eml" C1 "fbl@bounces.example.com"
check "complaint with a bound platform header: verified" "$(event C1)" "verified|verified|t|42|-1|400"
check "complaint: suppressed for the account" "$(supp zoe@example.org)" "42:complaint:complaint:f"
check "unsuppress refuses a complaint" \
    "$(sql_as postgres "SELECT mxbounce.unsuppress(42, 'zoe@example.org', 'support', 'asked')")" \
    "unsuppress: zoe@example.org complained; only mxbounce.opt_in() lifts that"
check "opt_in lifts it, audited" \
    "$(sql "SELECT mxbounce.opt_in(42, 'Zoe@Example.org', 'app', 'double opt-in 2026-11-26')")|$(supp zoe@example.org)|$(sql "SELECT concat_ws(':', action, who, why) FROM mxbounce.suppression_log WHERE address = 'zoe@example.org' ORDER BY id DESC LIMIT 1")" \
    "1||opt_in:app:double opt-in 2026-11-26"

# --- feedback reports that are no complaint (not-spam, auth-failure): kind
# feedback, bound and verified like a complaint, yet nothing suppressed ------
for ft in not-spam auth-failure; do
    T=$(tok --account 42 --message 401 --recipient "nina-$ft@example.org")
    sed -e "s/zoe@example.org/nina-$ft@example.org/g" -e "s/^Feedback-Type: abuse/Feedback-Type: $ft/" \
        -e "s/^Message-ID: <n1126.j4k5.0009@sender.example.com>/&\nX-Mxbounce-Token: $T/" \
        "$FIX/arf-no-rcpt-to.eml" >"$TMP/fb.eml"
    send "$TMP/fb.eml" "FB-$ft" "fbl@bounces.example.com"
    check "feedback type $ft: recorded as kind feedback, bound" \
        "$(sql "SELECT concat_ws('|', e.kind, e.feedback_type, e.recipient, e.bound) FROM mxbounce.events e JOIN mxbounce.reports r ON r.id = e.report_id WHERE r.queue_id = 'FB-$ft'")" \
        "feedback|$ft|nina-$ft@example.org|t"
    check "feedback type $ft: nothing suppressed" "$(supp "nina-$ft@example.org")" ""
done
# Microsoft's JMRP: the complained-about message attached, the mailbox in
# X-HmXmrOriginalRecipient, the platform header inside: a bound complaint.
T=$(tok --account 42 --message 402 --recipient gina@fbl.example.com)
sed "s/^Message-ID: <n1126.j4g6.0029@sender.example.com>/&\nX-Mxbounce-Token: $T/" \
    "$FIX/jmrp-complaint.eml" >"$TMP/jmrp.eml"
send "$TMP/jmrp.eml" JM1 "fbl@bounces.example.com"
check "JMRP complaint: verified through the platform header" "$(event JM1)" "verified|verified|t|42|-1|402"
check "JMRP complaint: suppressed for the account" "$(supp gina@fbl.example.com)" "42:complaint:complaint:f"
check "feedback reports are no complaints in delivery_issues" \
    "$(sql "SELECT coalesce(sum(complaints), 0) FROM mxbounce.delivery_issues WHERE account_id = 42 AND day = (now() AT TIME ZONE 'UTC')::date")" \
    "2"

# --- soft: three failures on three different days, then a success resets ------
T=$(tok --account 42 --message 500 --recipient mallory@example.net)
age() { sql "UPDATE mxbounce.events SET received_at = received_at - interval '$1 days' WHERE recipient_key = 'mallory@example.net'"; }
send "$FIX/dsn-mailbox-full-552.eml" S1 "b+$T@bounces.example.com" soft-1
age 1
send "$FIX/dsn-mailbox-full-552.eml" S2 "b+$T@bounces.example.com" soft-2
check "soft: two days, not suppressed" "$(supp mallory@example.net)" ""
age 1
send "$FIX/dsn-mailbox-full-552.eml" S3 "b+$T@bounces.example.com" soft-3
check "soft: third day, suppressed for the account with an expiry" "$(supp mallory@example.net)" "42:soft:mailbox_full:t"
check "soft: expires after policy.soft_expiry (30 days)" \
    "$(sql "SELECT expires_at - last_at BETWEEN interval '29 days 23 hours' AND interval '30 days 1 hour' FROM mxbounce.suppressions WHERE address = 'mallory@example.net'")" t
sql "SELECT mxbounce.record_delivery(42, 'Mallory@example.net')" >/dev/null
check "a success lifts the soft suppression, audited" \
    "$(supp mallory@example.net)|$(sql "SELECT concat_ws(':', action, class) FROM mxbounce.suppression_log WHERE address = 'mallory@example.net' ORDER BY id DESC LIMIT 1")" \
    "|reset:soft"
send "$FIX/dsn-mailbox-full-552.eml" S4 "b+$T@bounces.example.com" soft-4
check "after a success the count starts again" "$(supp mallory@example.net)" ""
# three on the same day
T=$(tok --account 42 --message 501 --recipient bob@example.org)
for i in 1 2 3; do send "$FIX/dsn-mailbox-full-folded.eml" "SD$i" "b+$T@bounces.example.com" "same-day-$i"; done
check "soft: three failures on one day do not suppress" "$(supp bob@example.org)|$(sql "SELECT count(*) FROM mxbounce.events WHERE recipient_key = 'bob@example.org'")" "|3"
# the policy is a row: two failures are enough after an UPDATE
sql "UPDATE mxbounce.policy SET soft_failures = 1" >/dev/null
send "$FIX/dsn-mailbox-full-folded.eml" SD4 "b+$T@bounces.example.com" "same-day-4"
check "policy.soft_failures = 1: suppressed at once" "$(supp bob@example.org)" "42:soft:mailbox_full:t"
sql "UPDATE mxbounce.suppressions SET expires_at = now() - interval '1 second' WHERE address = 'bob@example.org'" >/dev/null
check "an expired soft suppression no longer suppresses" "$(is_supp 42 bob@example.org)" f
sql "UPDATE mxbounce.policy SET soft_failures = 3" >/dev/null
# soft_expiry is the knob of the expiry
sql "UPDATE mxbounce.policy SET soft_failures = 1, soft_expiry = '2 days'" >/dev/null
sed 's/bob@example.org/bea@example.org/g' "$FIX/dsn-mailbox-full-folded.eml" >"$TMP/bea.eml"
T=$(tok --account 42 --message 502 --recipient bea@example.org)
send "$TMP/bea.eml" SE1 "b+$T@bounces.example.com"
check "policy.soft_expiry = 2 days: the suppression ends two days on" \
    "$(sql "SELECT expires_at - last_at FROM mxbounce.suppressions WHERE address = 'bea@example.org'")" "2 days"
sql "UPDATE mxbounce.policy SET soft_failures = 3, soft_expiry = '30 days'" >/dev/null

# --- scopes: hard bounces for the account only; complaints platform-wide -----
sql "UPDATE mxbounce.policy SET hard_scope = 'account', complaint_scope = 'platform'" >/dev/null
sed 's/alice@example.net/hanna@example.net/g' "$FIX/dsn-postfix-user-unknown.eml" >"$TMP/hanna.eml"
T=$(tok --account 42 --message 503 --recipient hanna@example.net)
send "$TMP/hanna.eml" SC1 "b+$T@bounces.example.com"
check "hard_scope = account: a bound hard bounce suppresses for the account only" "$(supp hanna@example.net)" "42:hard:user_unknown:f"
sed 's/zoe@example.org/zack@example.org/g' "$TMP/arf.eml" | sed "s/^X-Mxbounce-Token: .*/X-Mxbounce-Token: $(tok --account 42 --message 504 --recipient zack@example.org)/" >"$TMP/arf-zack.eml"
send "$TMP/arf-zack.eml" SC2 "fbl@bounces.example.com"
check "complaint_scope = platform: a bound complaint suppresses everywhere" "$(supp zack@example.org)" "0:complaint:complaint:f 42:complaint:complaint:f"
sql "UPDATE mxbounce.policy SET hard_scope = 'platform', complaint_scope = 'account'" >/dev/null

# --- a delivered DSN is a success too; a block never suppresses ---------------
T=$(tok --account 42 --message 600 --recipient olivia@example.net)
send "$FIX/dsn-delivered.eml" D1 "b+$T@bounces.example.com"
check "delivered DSN: remembered as the last success" "$(sql "SELECT count(*) FROM mxbounce.deliveries WHERE account_id = 42 AND address = 'olivia@example.net'")" 1
T=$(tok --account 42 --message 700 --recipient dave@example.net)
send "$FIX/dsn-multi-recipient.eml" B1 "b+$T@bounces.example.com"
check "multi-recipient report, token bound to dave: only dave verified" \
    "$(event B1)" "none|bad_mac|f|-1|-1|-1 verified|verified|t|42|-1|700 none|bad_mac|f|-1|-1|-1"
check "block (dave): counted, never suppressed" "$(sql "SELECT class FROM mxbounce.events WHERE recipient_key = 'dave@example.net'")|$(supp dave@example.net)" "block|"

# --- a complaint outranks a manual suppression; an end date never shortens one ---
sql "SELECT mxbounce.suppress(42, 'carla@example.org', 'support:jo', 'cooling off', now() + interval '7 days')" >/dev/null
sed 's/zoe@example.org/carla@example.org/g' "$TMP/arf.eml" | sed "s/^X-Mxbounce-Token: .*/X-Mxbounce-Token: $(tok --account 42 --message 505 --recipient carla@example.org)/" >"$TMP/arf-carla.eml"
send "$TMP/arf-carla.eml" CM1 "fbl@bounces.example.com"
check "a complaint replaces a manual suppression with an end date" "$(supp carla@example.org)" "42:complaint:complaint:f"
check "... and unsuppress still refuses it" \
    "$(sql_as postgres "SELECT mxbounce.unsuppress(42, 'carla@example.org', 'support:jo', 'x')")" \
    "unsuppress: carla@example.org complained; only mxbounce.opt_in() lifts that"
sql "SELECT mxbounce.suppress(42, 'alice@example.net', 'support:jo', 'cooling off', now() + interval '7 days')" >/dev/null
check "a manual suppression with an end date does not shorten a hard bounce's" "$(supp alice@example.net)" "0:hard:user_unknown:f 42:hard:user_unknown:f"

# --- manual suppressions, audited ----------------------------------------------
sql "SELECT mxbounce.suppress(42, 'Frank@Example.com', 'support:jo', 'asked by phone')" >/dev/null
check "manual suppress" "$(supp frank@example.com)|$(is_supp 42 frank@example.com)|$(is_supp 41 frank@example.com)" "42:manual:manual:f|t|f"
check "manual unsuppress" "$(sql "SELECT mxbounce.unsuppress(42, 'frank@example.com', 'support:jo', 'mistake')")|$(supp frank@example.com)" "t|"
check "audit trail for frank" \
    "$(sql "SELECT string_agg(concat_ws(':', action, who, why), ' / ' ORDER BY id) FROM mxbounce.suppression_log WHERE address = 'frank@example.com'")" \
    "suppress:support:jo:asked by phone / unsuppress:support:jo:mistake"
check "suppress without a reason is refused" \
    "$(sql_as postgres "SELECT mxbounce.suppress(42, 'g@example.com', 'x', '')")" "suppress: who and why are required"

# --- two transactions suppressing one new address at once ---------------------
# The first holds its new row uncommitted for two seconds; the second must
# wait and then count, not fail on the primary key (which would make the
# filter defer, again and again, under load).
psql "$CONNINFO" -X -Atq -c "BEGIN; SELECT mxbounce.suppress(48, 'race@example.net', 'one', 'first'); SELECT pg_sleep(2); COMMIT" >/dev/null 2>&1 &
FIRST=$!
sleep 0.5
second=$(sql_as postgres "SELECT mxbounce.suppress(48, 'race@example.net', 'two', 'second')")
wait "$FIRST"
check "a concurrent first suppression waits and succeeds" \
    "$second|$(sql "SELECT event_count FROM mxbounce.suppressions WHERE account_id = 48 AND address = 'race@example.net'")" "ok|2"

# --- redelivery changes nothing -------------------------------------------------
before=$(sql "SELECT (SELECT count(*) FROM mxbounce.events) || '/' || (SELECT sum(event_count) FROM mxbounce.suppressions) || '/' || (SELECT count(*) FROM mxbounce.suppression_log)")
T=$(tok --account 42 --message 100 --recipient alice@example.net)
send "$FIX/dsn-postfix-user-unknown.eml" Q1b "b+$T@bounces.example.com"
check "the same report again: nothing changes" \
    "$RC|$(sql "SELECT (SELECT count(*) FROM mxbounce.events) || '/' || (SELECT sum(event_count) FROM mxbounce.suppressions) || '/' || (SELECT count(*) FROM mxbounce.suppression_log)")" \
    "0|$before"

# --- the send counters and the delivery-issues view ----------------------------
sql "SELECT mxbounce.count_sent(42, NULL, 1000); SELECT mxbounce.count_sent(42, NULL, 500)" >/dev/null
check "count_sent adds up per day" "$(sql "SELECT sent FROM mxbounce.sends WHERE account_id = 42 AND list_id = 0")" 1500
check "delivery_issues: today's figures for account 42" \
    "$(sql "SELECT concat_ws('|', sum(sent), sum(hard), sum(block), sum(complaints)) FROM mxbounce.delivery_issues WHERE account_id = 42 AND day = (now() AT TIME ZONE 'UTC')::date")" \
    "1500|2|1|4"
check "delivery_issues(42): the same figures, from the function" \
    "$(sql "SELECT concat_ws('|', sum(sent), sum(hard), sum(block), sum(complaints)) FROM mxbounce.delivery_issues(42) WHERE day = (now() AT TIME ZONE 'UTC')::date")" \
    "1500|2|1|4"
check "delivery_issues(42, tomorrow): nothing yet" \
    "$(sql "SELECT count(*) FROM mxbounce.delivery_issues(42, (now() AT TIME ZONE 'UTC')::date + 1)")" 0

# --- roles: least privilege ------------------------------------------------------
sql "CREATE ROLE f_login LOGIN IN ROLE mxbounce_filter; CREATE ROLE a_login LOGIN IN ROLE mxbounce_app; CREATE ROLE r_login LOGIN IN ROLE mxbounce_review; CREATE ROLE nobody_login LOGIN" >/dev/null
sed "s|^conninfo = .*|conninfo = $CONNINFO user=f_login|" "$CONF" >"$TMP/filter-role.conf"
T=$(tok --account 46 --message 800 --recipient alice@example.net)
CONF_OVERRIDE=$TMP/filter-role.conf send "$FIX/dsn-postfix-user-unknown.eml" R1 "b+$T@bounces.example.com" role-1
check "filter role: records a report" "$RC|$(event R1)" "0|verified|verified|t|46|-1|800"
check "filter role: cannot ask the app API" "$(sql_as f_login "SELECT mxbounce.is_suppressed(42, 'alice@example.net')")" "permission denied for function is_suppressed"
check "filter role: cannot read events" "$(sql_as f_login "SELECT count(*) FROM mxbounce.events")" "permission denied for table events"
check "filter role: cannot read suppressions" "$(sql_as f_login "SELECT count(*) FROM mxbounce.suppressions")" "permission denied for table suppressions"
check "filter role: cannot make tokens" "$(sql_as f_login "SELECT mxbounce.verp_token(42, 1)")" "permission denied for function verp_token"
check "app role: is_suppressed" "$(psql "$CONNINFO user=a_login" -X -Atqc "SELECT mxbounce.is_suppressed(42, 'alice@example.net')")" t
check "app role: makes tokens without seeing the keys" \
    "$(sql_as a_login "SELECT mxbounce.verp_token(42, 1)")|$(sql_as a_login "SELECT * FROM mxbounce.verp_keys")" \
    "ok|permission denied for table verp_keys"
check "app role: schema_version()" "$(sql_as a_login "SELECT mxbounce.schema_version()")" ok
check "app role: delivery_issues()" "$(sql_as a_login "SELECT * FROM mxbounce.delivery_issues(42)")" ok
check "app role: reads events" "$(sql_as a_login "SELECT count(*) FROM mxbounce.events")" ok
check "app role: cannot write events" "$(sql_as a_login "DELETE FROM mxbounce.events")" "permission denied for table events"
check "app role: cannot insert events" "$(sql_as a_login "INSERT INTO mxbounce.events (report_id, seq, received_at, kind, classifier_version) VALUES (1, 99, now(), 'bounce', 'x')")" "permission denied for table events"
check "app role: cannot write suppressions but through the API" "$(sql_as a_login "DELETE FROM mxbounce.suppressions")" "permission denied for table suppressions"
check "app role: cannot record reports" "$(sql_as a_login "SELECT mxbounce.record_report(0, '\\x00', '\\x00', 1, '{}', '[]')")" "permission denied for function record_report"
check "app role: manual suppress through the API" "$(sql_as a_login "SELECT mxbounce.suppress(42, 'h@example.com', 'app', 'user request')")" ok
check "review role: reads events and send counters" "$(sql_as r_login "SELECT count(*) FROM mxbounce.events, mxbounce.sends")" ok
check "review role: cannot change suppressions" "$(sql_as r_login "SELECT mxbounce.unsuppress(42, 'h@example.com', 'r', 'x')")" "permission denied for function unsuppress"
check "a role without a grant: nothing" "$(sql_as nobody_login "SELECT mxbounce.is_suppressed(42, 'alice@example.net')")" "permission denied for schema mxbounce"

# --- local parts compared case-sensitively, when the policy says so ----------
sql "UPDATE mxbounce.policy SET local_part_case_sensitive = true" >/dev/null
sed 's/alice@example.net/Mixed.Case@Example.NET/g' "$FIX/dsn-postfix-user-unknown.eml" >"$TMP/mixed.eml"
DAY=$(today)
T=$(tok --account 42 --message 900 --recipient Mixed.Case@Example.NET --day "$DAY")
send "$TMP/mixed.eml" M1 "b+$T@bounces.example.com"
check "case-sensitive local parts: the key keeps the local part's case" \
    "$(sql "SELECT recipient_key FROM mxbounce.events WHERE recipient = 'Mixed.Case@Example.NET'")" "Mixed.Case@example.net"
check "case-sensitive local parts: only the exact local part is suppressed" \
    "$(is_supp 42 'Mixed.Case@EXAMPLE.net') $(is_supp 42 'mixed.case@example.net')" "t f"
sql "UPDATE mxbounce.policy SET local_part_case_sensitive = false" >/dev/null
check "case-sensitive local parts: SQL bound tokens still fold, as the filter's" \
    "$(sql "UPDATE mxbounce.policy SET local_part_case_sensitive = true; SELECT mxbounce.verp_token(42, 900, false, 'Mixed.Case@Example.NET', NULL, $DAY)")" "$T"
sql "UPDATE mxbounce.policy SET local_part_case_sensitive = false" >/dev/null
check "by default local parts fold: the key of Mixed.Case@Example.NET" \
    "$(sql "SELECT mxbounce.address_key('Mixed.Case@Example.NET')")" "mixed.case@example.net"

finish
