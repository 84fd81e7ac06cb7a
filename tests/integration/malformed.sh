#!/usr/bin/env bash
# malformed.sh - hostile input through the filter into a real PostgreSQL
#
# usage: malformed.sh MXBOUNCE_FILTER MXBOUNCE SOURCE_DIR
#
# tests/malformed/make-inputs writes the cases (truncated MIME, missing and
# duplicate boundaries, NUL bytes, invalid UTF-8 everywhere, a header of
# 100,000 lines and 100,000 header fields, 10,000 recipients,
# message/rfc822 nested 200,000 deep and multiparts 100,000 deep, 9 MB
# base64 and quoted-printable parts, a 50 MB input, control characters in
# the diagnostic text, SQL metacharacters in every field that reaches the
# database; and six that cost more than their size before they were
# bounded: address groups nested 45,000 deep, 65 KB of address characters
# in a report's words, a megabyte of lines under a Diagnostic-Code, seven
# base64 status parts of one-line runs under Diagnostic-Code fields, runs
# of '@' that two rules' patterns split at every '@' in 500 diagnostics
# and in 64 KB of a report's words). Each must be recorded (exit 0, nothing on stdout, exactly one
# log line without control characters, one report row); the database
# must come out intact. The peak memory of each run is printed, and the
# 50 MB input may not take more than the 11 MB one: what is past the size
# limit is read and dropped (not in sanitizer builds, MXB_SANITIZED=1,
# whose allocator keeps freed memory in quarantine).
set -uo pipefail
umask 077 # the configuration file holds a key

FILTER=$1 MXBOUNCE=$2 SRC=$3
. "$SRC/tests/lib.sh"

pg_setup mal
CONF=$TMP/mxbounce.conf
# A deadline of 20 s, not 60, and the CPU time of the cases that cost
# more than their size before they were bounded (10 to 108 s, or a crash)
# checked against COSTLY_CPU_MAX: each takes under 0.6 s (under
# AddressSanitizer too, 2026-11-28). CPU time, not wall time, so that a
# busy machine's waits for the disk or the processor do not fail it.
COSTLY_CPU_MAX=3
COSTLY="address-groups-45k address-run-in-text diagnostic-run-on-1mb status-parts-one-line-runs
sendmail-echo-500-recipients rule-words-runs-64k"
printf '[database]\nconninfo = %s\n[filter]\nlog = stderr\ndeadline = 20\n[verp]\nkey.1 = %s\n' \
    "$CONNINFO" "$("$MXBOUNCE" verp new-key)" >"$CONF"
"$MXBOUNCE" migrate -c "$CONF" >/dev/null || { echo "Bail out! migrate failed"; exit 1; }
ENVR="b+$("$MXBOUNCE" verp make -c "$CONF" --account 3 --list 1)@bounces.example.com"
python3 "$SRC/tests/malformed/make-inputs" "$TMP/in" >/dev/null || { echo "Bail out! make-inputs"; exit 1; }

n=0
declare -A QID RSS
for f in "$TMP"/in/*.eml; do
    name=$(basename "$f" .eml)
    n=$((n + 1))
    qid="MAL$n"
    [ "$name" = sql-metacharacters ] && qid="Q';--$n"
    QID[$name]=$qid
    sender=""
    # The envelope sender reaches the log line too: a hostile one here.
    [ "$name" = control-characters-in-diagnostic ] && sender=$'evil\r\nresult=recorded \e[31m\x7f@example.org'
    start=$(date +%s%N)
    /usr/bin/time -f '%M %U %S' -o "$TMP/rss" \
        "$FILTER" -c "$CONF" -- "$qid" "$sender" "$ENVR" "$ENVR" 192.0.2.1 <"$f" >"$TMP/out" 2>"$TMP/err"
    rc=$?
    ms=$((($(date +%s%N) - start) / 1000000))
    read -r rss user sys < <(tail -n 1 "$TMP/rss")
    RSS[$name]=$rss
    check "$name: exit 0 (${ms} ms, CPU ${user} + ${sys} s, peak RSS ${RSS[$name]} KiB)" "$rc" 0
    case " $(echo $COSTLY) " in
    *" $name "*)
        check "$name: CPU time under ${COSTLY_CPU_MAX} s" \
            "$(awk -v u="$user" -v s="$sys" -v m="$COSTLY_CPU_MAX" 'BEGIN { print (u + s < m) }')" 1
        ;;
    esac
    check "$name: nothing on stdout" "$(cat "$TMP/out")" ""
    check "$name: one log line, recorded" "$(wc -l <"$TMP/err")|$(grep -c 'result=recorded' "$TMP/err")" "1|1"
    check "$name: no control character in the log line" \
        "$(tr -d '\n' <"$TMP/err" | LC_ALL=C grep -c '[[:cntrl:]]')" 0
    check "$name: one report" "$(sql "SELECT count(*) FROM mxbounce.reports WHERE queue_id = \$q\$$qid\$q\$")" 1
done

check "10000-recipients: recorded up to the limit, and says so" \
    "$(sql "SELECT n_events, flags & 2, problem IS NOT NULL FROM mxbounce.reports WHERE queue_id = '${QID[10000-recipients]}'")" \
    "500|2|t"
check "header-of-100k-lines: the field cut at max_header, and says so" \
    "$(sql "SELECT flags & 8, problem FROM mxbounce.reports WHERE queue_id = '${QID[header-of-100k-lines]}'")" \
    "8|header field truncated"
for enc in base64 quoted-printable; do
    check "decoding-bomb-$enc: the recipient recorded" \
        "$(sql "SELECT r.flags, e.recipient FROM mxbounce.events e JOIN mxbounce.reports r ON r.id = e.report_id WHERE r.queue_id = '${QID[decoding-bomb-$enc]}'")" \
        "0|bomb-$enc@example.org"
done
for mb in 11 50; do
    check "input-of-${mb}mb: 10 MiB kept, the size received known, the recipient recorded" \
        "$(sql "SELECT r.flags & 1, m.size > ${mb}000000, length(m.content), e.recipient FROM mxbounce.reports r JOIN mxbounce.raw_messages m ON m.sha256 = r.sha256 JOIN mxbounce.events e ON e.report_id = r.id WHERE r.queue_id = '${QID[input-of-${mb}mb]}'")" \
        "1|t|10485760|big${mb}@example.org"
done
check "address-groups-45k: the field cut at the colon limit, and says so; the recipient recorded" \
    "$(sql "SELECT r.flags & 8, r.problem, e.recipient FROM mxbounce.reports r JOIN mxbounce.events e ON e.report_id = r.id WHERE r.queue_id = '${QID[address-groups-45k]}'")" \
    "8|header field truncated at colon limit|groups@example.org"
check "diagnostic-run-on-1mb: the diagnostic cut at its limit, and says so" \
    "$(sql "SELECT r.flags & 8, length(e.diagnostic) <= 2000 FROM mxbounce.reports r JOIN mxbounce.events e ON e.report_id = r.id WHERE r.queue_id = '${QID[diagnostic-run-on-1mb]}'")" \
    "8|t"
check "address-run-in-text: read, not a bounce (a null Return-Path, a sender's From)" \
    "$(sql "SELECT string_agg(e.kind, ',') FROM mxbounce.events e JOIN mxbounce.reports r ON r.id = e.report_id WHERE r.queue_id = '${QID[address-run-in-text]}'")" \
    "not_bounce"
check "status-parts-one-line-runs: a bounce without recipient" \
    "$(sql "SELECT count(*), bool_and(e.kind = 'bounce' AND e.recipient IS NULL) FROM mxbounce.events e JOIN mxbounce.reports r ON r.id = e.report_id WHERE r.queue_id = '${QID[status-parts-one-line-runs]}'")" \
    "1|t"
check "sendmail-echo-500-recipients: 500 events, the status's reason" \
    "$(sql "SELECT count(*), min(e.reason), max(e.reason) FROM mxbounce.events e JOIN mxbounce.reports r ON r.id = e.report_id WHERE r.queue_id = '${QID[sendmail-echo-500-recipients]}'")" \
    "500|not_accepting|not_accepting"
check "rule-words-runs-64k: 500 events, one for each address" \
    "$(sql "SELECT count(DISTINCT e.recipient) FROM mxbounce.events e JOIN mxbounce.reports r ON r.id = e.report_id WHERE r.queue_id = '${QID[rule-words-runs-64k]}'")" \
    "500"
check "100k-header-fields: cut at max_structure_lines, and says so" \
    "$(sql "SELECT flags & 1, problem FROM mxbounce.reports WHERE queue_id = '${QID[100k-header-fields]}'")" \
    "1|message truncated at structure limit"
if [ "${MXB_SANITIZED:-0}" != 1 ]; then
    # Both keep the same 10 MiB; the peak of the same run varied by up to
    # 1.3 MB on a busy machine (a CI run, 2026-11-28), so the margin is
    # 4 MiB: memory that grew with the input would be tens of MB more.
    check "input-of-50mb: peak memory ${RSS[input-of-50mb]} KiB, no more than the 11 MB input's (${RSS[input-of-11mb]} KiB) + 4 MiB" \
        "$((${RSS[input-of-50mb]} <= ${RSS[input-of-11mb]} + 4096))" 1
fi
check "sql-metacharacters: the tables are intact" "$(sql "SELECT count(*) FROM mxbounce.reports")" "$n"
check "sql-metacharacters: the subject and queue id stored as sent" \
    "$(sql "SELECT subject LIKE 'x''); DROP TABLE mxbounce.reports; -- %\$\$%' FROM mxbounce.reports WHERE queue_id LIKE 'Q'';--%'")" t
check "sql-metacharacters: the recipient stored as sent" \
    "$(sql "SELECT count(*) FROM mxbounce.events WHERE recipient = 'sql''--@example.org'")" 1
check "sql-metacharacters: the diagnostic and remote MTA kept their words" \
    "$(sql "SELECT diagnostic LIKE '%DROP TABLE mxbounce.reports%' AND remote_mta LIKE '%DROP TABLE%' FROM mxbounce.events WHERE recipient = 'sql''--@example.org'")" t
check "control characters: stored diagnostic is one clean line" \
    "$(sql "SELECT diagnostic ~ '[[:cntrl:]]', diagnostic LIKE '%no such user%injected=yes%' FROM mxbounce.events e JOIN mxbounce.reports r ON r.id = e.report_id WHERE r.queue_id LIKE 'MAL%' AND e.recipient = 'ctl@example.org'")" "f|t"
check "invalid UTF-8: recorded with the recipient's event" \
    "$(sql "SELECT count(*) FROM mxbounce.events e JOIN mxbounce.reports r ON r.id = e.report_id WHERE r.queue_id = '${QID[invalid-utf8-everywhere]}' AND e.recipient LIKE 'u%'")" 1
finish
