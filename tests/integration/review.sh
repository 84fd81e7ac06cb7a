#!/usr/bin/env bash
# review.sh - mxbounce review, account and report against a real,
# throwaway PostgreSQL, on generated sending histories
#
# usage: review.sh MXBOUNCE_FILTER MXBOUNCE SOURCE_DIR
set -uo pipefail
umask 077 # the configuration files hold keys: mxbounce refuses them readable by others

FILTER=$1 MXBOUNCE=$2 SRC=$3
FIX=$SRC/tests/fixtures
. "$SRC/tests/lib.sh"
one_utc_day 150
pg_setup review

CONF=$TMP/mxbounce.conf
printf '[database]\nconninfo = %s\n[verp]\nkey.1 = %s\n' "$CONNINFO" "$("$MXBOUNCE" verp new-key)" >"$CONF"
"$MXBOUNCE" migrate -c "$CONF" >/dev/null || { echo "Bail out! migrate failed"; exit 1; }
psql "$CONNINFO" -X -q -v ON_ERROR_STOP=1 -f "$SRC/tests/integration/review-history.sql" >/dev/null ||
    { echo "Bail out! cannot load the history generator"; exit 1; }
review() { "$MXBOUNCE" review -c "$CONF" "$@"; }
decisions() { sql "SELECT count(*) FROM mxbounce.account_reviews"; }
# status ACCOUNT [LIST]
status() {
    if [ $# = 1 ]; then sql "SELECT coalesce((SELECT status FROM mxbounce.accounts WHERE id = $1), 'none')"
    else sql "SELECT coalesce((SELECT status FROM mxbounce.lists WHERE account_id = $1 AND list_id = $2), 'none')"; fi
}

# --- generated histories ---------------------------------------------------------
# history(account, list, days, sent/day, hard/day, block/day, complaints/day, days ago)
sql "
-- clean: 30 days, 0.1% hard bounces, a few blocks and no complaints
SELECT mxb_test.history(101, 1, 30, 1000, 1, 2, 0);
-- purchased list: a week of 10% hard bounces and 0.5% complaints
SELECT mxb_test.history(102, 7, 7, 1000, 100, 0, 5);
-- a good account with one bad list: list 1 clean, list 2 at 12%
SELECT mxb_test.history(103, 1, 30, 2000, 2, 0, 0);
SELECT mxb_test.history(103, 2, 7, 100, 12, 0, 0);
-- low volume: 70 messages, half of them bounced
SELECT mxb_test.history(104, 0, 7, 10, 5, 0, 0);
-- complaints exactly at the review threshold 0.1% (7 of 7000)
SELECT mxb_test.history(105, 0, 7, 1000, 0, 0, 1);
-- hard bounces between warn 2% and review 4%
SELECT mxb_test.history(106, 0, 7, 1000, 25, 0, 0);
-- the 30-day window decides: days 8-30 at 5%, the last week clean (3.8% over 30 days)
SELECT mxb_test.history(107, 0, 7, 1000, 0, 0, 0);
SELECT mxb_test.history(107, 0, 23, 1000, 50, 0, 0, 7);
-- blocks: 12% of the mail refused by the receivers
SELECT mxb_test.history(108, 0, 7, 1000, 0, 120, 0);
-- to be reinstated later: as bad as 102
SELECT mxb_test.history(109, 0, 7, 1000, 100, 0, 0);
-- two complaints in 700 messages (0.29%): too few recipients to decide
SELECT mxb_test.history(112, 0, 2, 350, 0, 0, 1);
" >/dev/null || { echo "Bail out! cannot generate histories"; exit 1; }
# Events the review must not count: not tied to an account (match none),
# and a soft failure.
sql "INSERT INTO mxbounce.reports (sha256, received_at, classifier_version, n_events) VALUES (sha256('forged'), now(), 'test', 1);
     INSERT INTO mxbounce.events (report_id, seq, received_at, account_id, recipient, recipient_key, kind, class, match, classifier_version)
     SELECT (SELECT id FROM mxbounce.reports WHERE sha256 = sha256('forged')), g, now(), 101, 'x' || g || '@example.org', 'x' || g || '@example.org', 'bounce', 'hard', 'none', 'test'
       FROM generate_series(1, 500) g" >/dev/null

# --- dry run ---------------------------------------------------------------------
out=$(review --dry-run)
check "dry run: the summary line" "$(head -1 <<<"$out")" \
    "mxbounce review: dry run, would make 8 change(s); judged 9 account(s) and 4 list(s), 1 account(s) sent too little to judge"
check "dry run: writes nothing" "$(decisions)|$(sql "SELECT count(*) FROM mxbounce.review_runs")|$(status 102)" "0|0|none"

# --- the first run ---------------------------------------------------------------
out=$(review); rc=$?
check "review: exit 0 and one line per change" "$rc|$(wc -l <<<"$out")" "0|9"
check "clean account: stays active, nothing recorded" "$(status 101)|$(sql "SELECT count(*) FROM mxbounce.account_reviews WHERE account_id = 101")" "none|0"
check "purchased list: the account is suspended on its hard-bounce rate" "$(status 102)" suspended
check "purchased list: why, in the output" \
    "$(grep '^  account 102:' <<<"$out")" \
    "  account 102: active -> suspended: hard-bounce rate 10% over 7 days (700 of 7000 sent) reached the suspend threshold 8%"
check "purchased list: its list is suspended too" "$(status 102 7)" suspended
check "purchased list: the audit row holds figures, thresholds, old and new status" \
    "$(sql "SELECT concat_ws('|', old_status, new_status, metric, window_days, sent, hard, complaints, hard_rate, complaint_rate, thresholds->'hard', thresholds->>'min_sent', jsonb_array_length(figures), who, run_id IS NOT NULL) FROM mxbounce.account_reviews WHERE account_id = 102 AND list_id IS NULL")" \
    "active|suspended|hard|7|7000|700|35|0.100000|0.005000|[0.02, 0.04, 0.08]|200|2|mxbounce review|t"
check "one bad list: only the list is suspended, the account stays active" \
    "$(status 103)|$(status 103 2)|$(status 103 1)" "none|suspended|none"
check "one bad list: the account is told which list" \
    "$(grep '^  account 103' <<<"$out")" \
    "  account 103 list 2: active -> suspended: hard-bounce rate 12% over 7 days (84 of 700 sent) reached the suspend threshold 8%"
check "low volume: no decision however bad the rate" "$(status 104)" none
check "two complaints are too few to decide on, whatever their rate" \
    "$(status 112)|$(sql "SELECT complaints || ' ' || sent FROM mxbounce.review_figures() WHERE account_id = 112 AND window_days = 7")" "none|2 700"
check "complaints at exactly 0.1%: review" \
    "$(status 105)|$(sql "SELECT why FROM mxbounce.account_reviews WHERE account_id = 105")" \
    "review|complaint rate 0.1% over 7 days (7 of 7000 sent) reached the review threshold 0.1%"
check "hard bounces at 2.5%: warned" "$(status 106)" warned
check "the worse window wins: 30 days at 3.83% warns, the clean week does not save it" \
    "$(status 107)|$(sql "SELECT window_days || ' ' || hard_rate FROM mxbounce.account_reviews WHERE account_id = 107")" \
    "warned|30 0.038333"
check "blocks at 12%: review, never suspended by default" \
    "$(status 108)|$(sql "SELECT metric FROM mxbounce.account_reviews WHERE account_id = 108")" "review|block"
check "events not tied to the account do not count (500 forged hard bounces for 101)" \
    "$(sql "SELECT hard FROM mxbounce.review_figures() WHERE account_id = 101 AND list_id IS NULL AND window_days = 7")" 7
check "the run is recorded" \
    "$(sql "SELECT concat_ws('|', accounts, lists, low_volume, changes) FROM mxbounce.review_runs")" "9|4|1|8"

# --- twice in a row, and twice at once -------------------------------------------------
before=$(decisions)
out=$(review 2>&1); rc=$?
check "second run: quiet, exit 0, no new decision" "$rc|$out|$(decisions)" "0||$before"
check "second run: --verbose prints the summary" "$(review --verbose)" \
    "mxbounce review: 0 change(s); judged 9 account(s) and 4 list(s), 1 account(s) sent too little to judge"
# A run holding the lock: the other does nothing and says so on stderr.
psql "$CONNINFO" -X -Atq -c "SELECT pg_advisory_lock(7236713), pg_sleep(4)" >/dev/null &
holder=$!
sleep 1
sql "SELECT mxb_test.history(110, 0, 7, 1000, 100, 0, 0)" >/dev/null
err=$(review 2>&1 >/dev/null); rc=$?
check "while another run holds the lock: exit 0, nothing done, one line on stderr" \
    "$rc|$err|$(status 110)" "0|mxbounce review: another review or a reinstatement is running; nothing done|none"
wait $holder
# Two runs started together: one decision for account 110, whichever ran.
review >"$TMP/r1" 2>&1 & p1=$!
review >"$TMP/r2" 2>&1 & p2=$!
wait $p1; rc1=$?; wait $p2; rc2=$?
# (The lock itself is tested above; this is the outcome either way.)
check "two concurrent runs: both exit 0, exactly one decision" \
    "$rc1 $rc2|$(sql "SELECT count(*) FROM mxbounce.account_reviews WHERE account_id = 110")|$(status 110)" \
    "0 0|1|suspended"
check "two concurrent runs: one of them reported the change" "$(cat "$TMP/r1" "$TMP/r2" | grep -c '^  account 110: active -> suspended')" 1

# --- the thresholds are the policy's -------------------------------------------------
check "review --json: the thresholds applied" \
    "$(review --dry-run --json | jq -c '[.thresholds.hard, .thresholds.complaint, .thresholds.block, .thresholds.min_sent, .thresholds.min_count, .thresholds.windows, .run]')" \
    '[[0.02,0.04,0.08],[0.0008,0.001,0.003],[0.05,0.1,null],200,3,[7,30],null]'
sql "UPDATE mxbounce.policy SET review_min_sent = 50" >/dev/null
check "a lower minimum volume: the low-volume account is judged (50% hard)" \
    "$(review --dry-run --json | jq -r '.changes[] | select(.account_id == 104) | .new_status + " " + (.sent | tostring)')" "suspended 70"
sql "UPDATE mxbounce.policy SET review_min_sent = DEFAULT, block_suspend = 0.11" >/dev/null
check "block_suspend set: blocks at 12% now suspend" \
    "$(review --dry-run --json | jq -r '.changes[] | select(.account_id == 108) | .old_status + " " + .new_status')" "review suspended"
sql "UPDATE mxbounce.policy SET block_suspend = NULL" >/dev/null

# --- the app learns of changes: NOTIFY and a row to poll -----------------------------
sql "SELECT mxb_test.history(111, 0, 7, 1000, 60, 0, 0)" >/dev/null
printf 'LISTEN mxbounce_review;\nSELECT pg_sleep(3);\nSELECT 1;\n' | psql "$CONNINFO" -X -Atq >"$TMP/listen" 2>&1 &
listener=$!
sleep 1
review >/dev/null
wait $listener
id=$(sql "SELECT id FROM mxbounce.account_reviews WHERE account_id = 111")
check "NOTIFY mxbounce_review carries the decision" \
    "$(sed -n 's/.*with payload "\(.*\)" received from.*/\1/p' "$TMP/listen")" \
    "{\"id\" : $id, \"account_id\" : 111, \"list_id\" : null, \"old_status\" : \"active\", \"new_status\" : \"review\"}"

# --- reinstatement: manual, audited, and only later events count -----------------------
out=$("$MXBOUNCE" account reinstate -c "$CONF" 109 2>&1); rc=$?
check "reinstate without --reason: usage error" "$rc" 2
out=$("$MXBOUNCE" account reinstate -c "$CONF" 102 --list -7 --reason x 2>&1); rc=$?
check "reinstate --list -7: usage error, the account stays suspended" "$rc|$(status 102)" "2|suspended"
# A reinstatement waits for a running review, which judged on the figures
# from before it (and would otherwise escalate the account again).
psql "$CONNINFO" -X -Atq -c "SELECT pg_advisory_lock(7236713), pg_sleep(3)" >/dev/null &
holder=$!
sleep 1
"$MXBOUNCE" account reinstate -c "$CONF" 109 --reason "list cleaned, double opt-in" --by "support:ann" >"$TMP/reinstate" 2>&1 &
reinstater=$!
sleep 1
during=$(status 109)
wait $holder; wait $reinstater; rc=$?
check "reinstate: waits for a running review, then exit 0, active" "$during|$rc|$(status 109)" "suspended|0|active"
check "reinstate: the audit row" \
    "$(sql "SELECT concat_ws('|', old_status, new_status, who, why, run_id IS NULL) FROM mxbounce.account_reviews WHERE account_id = 109 ORDER BY id DESC LIMIT 1")" \
    "suspended|active|support:ann|reinstated: list cleaned, double opt-in|t"
out=$("$MXBOUNCE" account reinstate -c "$CONF" 109 --reason again 2>&1); rc=$?
check "reinstate an active account: exit 1, says why" "$rc|$out" \
    "1|mxbounce account reinstate: MXB03 ERROR:  account 109 is active: nothing to reinstate"
check "after reinstatement the old events no longer count" "$(review; status 109)" active
# New mail after the reinstatement, as bad as before: 100 hard bounces
# over today's 2,000 sent (the day's sends count whole).
sql "SELECT mxbounce.count_sent(109, 0, 1000);
     INSERT INTO mxbounce.reports (sha256, received_at, classifier_version, n_events)
     SELECT sha256(convert_to('late' || g, 'UTF8')), clock_timestamp(), 'test', 1 FROM generate_series(1, 100) g;
     INSERT INTO mxbounce.events (report_id, seq, received_at, account_id, recipient, recipient_key, kind, class, match, classifier_version)
     SELECT r.id, 0, r.received_at, 109, 'late' || r.id || '@example.org', 'late' || r.id || '@example.org', 'bounce', 'hard', 'verified', 'test'
       FROM mxbounce.reports r WHERE r.classifier_version = 'test' AND r.received_at > (SELECT counts_from FROM mxbounce.accounts WHERE id = 109)" >/dev/null
out=$(review)
check "after reinstatement, new bad mail escalates again, judged on the new events only" \
    "$(status 109)|$(grep '^  account 109' <<<"$out")" \
    "review|  account 109: active -> review: hard-bounce rate 5% over 7 days (100 of 2000 sent) reached the review threshold 4%"
out=$("$MXBOUNCE" account reinstate -c "$CONF" 103 --list 2 --reason "list removed" 2>&1)
check "reinstate a list" "$?|$(status 103 2)" "0|active"
check "account list: what is not active, worst first" \
    "$("$MXBOUNCE" account list -c "$CONF" | awk -F': ' '{print $1}' | cut -d' ' -f1,4- | head -3)" \
    "$(printf 'suspended account 102\nsuspended account 102 list 7\nsuspended account 110')"
check "account show: status and decisions" \
    "$("$MXBOUNCE" account show -c "$CONF" 109 | head -1 | cut -d' ' -f1-4)" "account 109: review since"

# --- roles -------------------------------------------------------------------------
sql "CREATE ROLE r_login LOGIN IN ROLE mxbounce_review; CREATE ROLE a_login LOGIN IN ROLE mxbounce_app; CREATE ROLE f_login LOGIN IN ROLE mxbounce_filter" >/dev/null
check "review role: runs the review" "$(sql_as r_login "SELECT mxbounce.review(true)")" ok
check "review role: reinstates" "$(sql_as r_login "SELECT mxbounce.reinstate(110, NULL, 'ops', 'appeal accepted')")" ok
check "review role: cannot set a status directly" "$(sql_as r_login "UPDATE mxbounce.accounts SET status = 'active'")" "permission denied for table accounts"
check "app role: reads the decisions" "$(sql_as a_login "SELECT count(*) FROM mxbounce.account_reviews, mxbounce.lists")" ok
check "app role: names accounts and lists" \
    "$(sql_as a_login "INSERT INTO mxbounce.accounts (id, name) VALUES (200, 'Acme'); INSERT INTO mxbounce.lists (account_id, list_id, name) VALUES (103, 1, 'News'); UPDATE mxbounce.lists SET name = 'Newsletter' WHERE account_id = 103 AND list_id = 1")" ok
check "app role: cannot change a status" "$(sql_as a_login "UPDATE mxbounce.accounts SET status = 'active' WHERE id = 102")" "permission denied for table accounts"
check "app role: cannot run the review" "$(sql_as a_login "SELECT mxbounce.review()")" "permission denied for function review"
check "app role: cannot reinstate" "$(sql_as a_login "SELECT mxbounce.reinstate(102, NULL, 'app', 'x')")" "permission denied for function reinstate"
check "app role: gets reports" "$(sql_as a_login "SELECT mxbounce.account_report(102)")" ok
check "review role: reads no raw message" "$(sql_as r_login "SELECT count(*) FROM mxbounce.raw_messages")" "permission denied for table raw_messages"
check "filter role: reads no decision" "$(sql_as f_login "SELECT count(*) FROM mxbounce.account_reviews")" "permission denied for table account_reviews"

# --- the schema must be new enough -----------------------------------------------------
sql "UPDATE mxbounce.schema_migrations SET version = -version WHERE version >= 5" >/dev/null
out=$(review 2>&1); rc=$?
sql "UPDATE mxbounce.schema_migrations SET version = -version WHERE version <= -5" >/dev/null
check "an older schema: exit 1, says to migrate" "$rc|$out" \
    "1|mxbounce review: the database schema is version 4, this command needs 5: run mxbounce migrate"

# --- report ----------------------------------------------------------------------------
# A real bounce through the filter, verified: counted and newly suppressed.
ENVR="b+$("$MXBOUNCE" verp make -c "$CONF" --account 103 --list 1 --recipient alice@example.net)@bounces.example.com"
"$FILTER" -c "$CONF" -- R1 "" "$ENVR" "$ENVR" <"$FIX/dsn-postfix-user-unknown.eml" >/dev/null 2>&1
check "filter: the bounce is recorded for account 103" "$?|$(sql "SELECT account_id || ' ' || list_id || ' ' || match FROM mxbounce.events WHERE recipient = 'alice@example.net'")" "0|103 1 verified"
# Hostile words from a remote server: markup, a formula, control characters.
sql "UPDATE mxbounce.events SET diagnostic = E'=HYPERLINK(\"http://evil\")<script>alert(1)</script>\\x1b[31m\\r\\nX\\u009b31m\\u202e' WHERE recipient = 'alice@example.net'" >/dev/null
report() { "$MXBOUNCE" report -c "$CONF" --account 103 "$@"; }
txt=$(report); rc=$?
check "report text: exit 0 and the header" "$rc|$(head -1 <<<"$txt" | cut -d, -f1)" "0|Delivery issues of account 103"
check "report text: one line per list and the total" \
    "$(grep -E '^  (list|all)' <<<"$txt" | awk '{print $1, $2, $3, $4, $5}')" \
    "$(printf 'list 1 (Newsletter) 16000 17\nlist 2 700 84 12.00%%\nall 16700 101 0.60%% 0')"
check "report text: no control character from the remote server reaches the terminal (ESC, CR, C1 CSI, RLO)" \
    "$(grep -c -P '[\x{1b}\r\x{9b}\x{202e}]' <<<"$txt")|$(grep -c 'alert(1)</script> \[31m  X 31m' <<<"$txt")" "0|1"
check "report text: newly suppressed" "$(grep -A1 '^Newly suppressed' <<<"$txt" | tail -1 | awk '{print $3, $4, $5}')" \
    "alice@example.net hard user_unknown"
json=$(report --format json)
# 8 days (7 days ago to today): list 1 2,000 a day with 2 hard bounces and
# alice; list 2 100 a day with 12 for 7 days. alice is suppressed for the
# account and, her token being bound, platform-wide: two rows.
check "report json: totals and rates" \
    "$(jq -r '[.total.sent, .total.hard, .total.hard_rate, (.lists | length), .suppressed_total, .status.status] | @tsv' <<<"$json")" \
    "$(printf '16700\t101\t0.006048\t2\t2\tactive')"
check "report json: per day, one row per day since the start" "$(jq '.days | length' <<<"$json")" 8
check "report json: top domains and reasons" \
    "$(jq -r '[.domains[0].domain, .domains[0].failures, .reasons[0].reason, .reasons[0].recipients] | @tsv' <<<"$json")" \
    "$(printf 'mail.example\t100\tuser_unknown\t101')"
check "report --list 2: only that list" \
    "$(report --list 2 --format json | jq -r '[.total.sent, .total.hard, (.lists | length), .suppressed_total] | @tsv')" \
    "$(printf '700\t84\t1\t0')"
check "report --since: from that day" \
    "$(report --since "$(date -u -d '2 days ago' +%F)" --format json | jq -r '[.since, (.days | length), .total.sent] | @tsv')" \
    "$(printf '%s\t3\t6300' "$(date -u -d '2 days ago' +%F)")"
report --format csv >"$TMP/r.csv"
check "report csv: parses, every row has 7 fields, formulas defused" \
    "$(python3 -c "
import csv, sys
rows = list(csv.reader(open('$TMP/r.csv', newline='')))
assert rows[0] == ['section', 'list_id', 'item', 'metric', 'count', 'rate', 'detail'], rows[0]
assert all(len(r) == 7 for r in rows)
reason = [r for r in rows if r[0] == 'reason']
print(len(rows) > 50, all(not r[6].startswith('=') for r in rows), any(r[6].startswith(\"'=HYPERLINK\") for r in reason))")" \
    "True True True"
report --format html -o "$TMP/r.html"
check "report html: well-formed, self-contained, hostile text escaped" \
    "$(python3 - "$TMP/r.html" <<'PYEOF'
import html.parser, sys
VOID = {'meta', 'br'}
class P(html.parser.HTMLParser):
    def __init__(s):
        super().__init__(); s.stack = []; s.errors = []; s.svgs = 0; s.text = []
    def handle_starttag(s, t, a):
        s.svgs += t == 'svg'
        for k, v in a:
            if k in ('src', 'href') or (v or '').startswith('http:') and k != 'xmlns':
                s.errors.append('external %s=%s' % (k, v))
        if t == 'script': s.errors.append('script')
        if t not in VOID: s.stack.append(t)
    def handle_startendtag(s, t, a): pass
    def handle_endtag(s, t):
        if t in VOID: return
        if not s.stack or s.stack.pop() != t: s.errors.append('unbalanced ' + t)
    def handle_data(s, d): s.text.append(d)
p = P(); p.feed(open(sys.argv[1]).read())
text = ''.join(p.text)
print(p.errors or 'ok', p.stack or 'closed', p.svgs > 5, '<script>alert(1)</script>' in text)
PYEOF
)" "ok closed True True"
check "report: an account with nothing is an empty report, not an error" \
    "$(report --format json --account 999 2>&1 | jq -r '[.total.sent, (.lists | length), .status.status] | @tsv')" \
    "$(printf '0\t0\tactive')"
# Limits of what the report shows, one past each.
sql "INSERT INTO mxbounce.suppression_log (account_id, address, action, class, reason, who)
     SELECT 300, 'gone' || g || '@example.com', 'suppress', 'hard', 'user_unknown', 'test' FROM generate_series(1, 101) g;
     INSERT INTO mxbounce.reports (sha256, received_at, classifier_version, n_events) VALUES (sha256('long'), now(), 'test', 1);
     INSERT INTO mxbounce.events (report_id, seq, received_at, account_id, recipient, recipient_key, kind, class, reason, diagnostic, match, classifier_version)
     VALUES ((SELECT id FROM mxbounce.reports WHERE sha256 = sha256('long')), 0, now(), 300, 'long@example.com', 'long@example.com', 'bounce', 'hard', 'user_unknown', repeat('x', 301), 'verified', 'test')" >/dev/null
txt=$("$MXBOUNCE" report -c "$CONF" --account 300)
check "report: 101 newly suppressed, 100 listed and one more (REPORT_SUPPRESSED_SHOWN)" \
    "$(grep -c '@example.com .*hard user_unknown' <<<"$txt")|$(grep -c '^  ... and 1 more' <<<"$txt")" "100|1"
check "report: a 301-character sample is cut to 300 (REPORT_SAMPLE_CHARS)" \
    "$(grep -o '"x*\.\.\."' <<<"$txt" | tr -d '"' | wc -c)" 301
out=$("$MXBOUNCE" report -c "$CONF" --account 300 --top 101 2>&1); rc=$?
check "report --top 101: usage error; --top 100 is fine" \
    "$rc|$("$MXBOUNCE" report -c "$CONF" --account 300 --top 100 >/dev/null; echo $?)" "2|0"
check "review windows: a ninth window is refused" \
    "$(sql_as postgres "UPDATE mxbounce.policy SET review_windows = '{1,2,3,4,5,6,7,8,9}'" | grep -o 'violates check constraint')" "violates check constraint"
out=$("$MXBOUNCE" report -c "$CONF" --format pdf --account 1 2>&1); rc=$?
check "report: an unknown format is a usage error" "$rc" 2

finish
