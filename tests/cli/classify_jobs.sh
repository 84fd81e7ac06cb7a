#!/bin/bash
# classify_jobs.sh MXBOUNCE SOURCE_DIR - mxbounce classify --jobs: the
# messages are classified by threads and printed in the order they were
# named (and of each mailbox), whatever the number of threads; a file that
# cannot be read still gets its line on standard error and exit 1; more
# files than the threads' window (16 a thread) keep their order; local rules are read by every thread.
set -u
MXB=$1 SRC=$2
. "$SRC/tests/lib.sh"
TMP=$(mktemp -d /tmp/mxb-jobs.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
FIX=$SRC/tests/fixtures
mapfile -t fixtures < <(ls "$FIX"/*.eml | sort)
[ "${#fixtures[@]}" -ge 40 ] || { echo "Bail out! fixtures missing"; exit 1; }

# Every fixture five times, reversed every other round: 200+ messages, more
# than three threads' window of 48, in an order no sort gives.
files=()
for round in 1 2 3 4 5; do
    if [ $((round % 2)) = 0 ]; then
        for ((i = ${#fixtures[@]} - 1; i >= 0; i--)); do files+=("${fixtures[$i]}"); done
    else
        files+=("${fixtures[@]}")
    fi
done
one=$("$MXB" classify --json --jobs 1 "${files[@]}")
three=$("$MXB" classify --json --jobs 3 "${files[@]}")
auto=$("$MXB" classify --json "${files[@]}")
check "--jobs 3 prints what --jobs 1 prints" "$three" "$one"
check "the default prints what --jobs 1 prints" "$auto" "$one"
check "each file in the order named" \
    "$(printf '%s\n' "$three" | sed -n 's/^{"file":"\([^"]*\)".*/\1/p' | uniq)" \
    "$(printf '%s\n' "${files[@]}" | uniq)"
check "one past three threads' window (49 files)" \
    "$("$MXB" classify --json --jobs 3 "${files[@]:0:49}")" "$("$MXB" classify --json --jobs 1 "${files[@]:0:49}")"
check "readable lines too" "$("$MXB" classify --jobs 4 "${files[@]}")" \
    "$("$MXB" classify --jobs 1 "${files[@]}")"

# A file that cannot be read, among others: its line on standard error,
# exit 1, the others printed in order.
"$MXB" classify --json --jobs 3 "${fixtures[0]}" "$TMP/none" "${fixtures[@]:1:60}" \
    > "$TMP/out" 2> "$TMP/err"
check "unreadable file: exit 1" "$?" 1
check "unreadable file: one clear line" "$(cat "$TMP/err")" \
    "mxbounce classify: $TMP/none: No such file or directory"
check "unreadable file: the others in order" "$(cat "$TMP/out")" \
    "$("$MXB" classify --json --jobs 1 "${fixtures[0]}" "${fixtures[@]:1:60}")"

# Standard input among files is read once, in its place.
check "standard input in its place" \
    "$("$MXB" classify --json --jobs 3 "${fixtures[@]:0:30}" - "${fixtures[@]:30:30}" < "${fixtures[40]}" |
       sed 's/^{"file":"-",/{"file":"'"${fixtures[40]//\//\\/}"'",/')" \
    "$("$MXB" classify --json --jobs 1 "${fixtures[@]:0:30}" "${fixtures[40]}" "${fixtures[@]:30:30}")"

# A mailbox of every fixture: its messages in order, numbered from 1.
mbox=$TMP/all.mbox
for f in "${fixtures[@]}"; do
    echo "From MAILER-DAEMON Thu Nov 26 10:00:00 2026"
    sed -e 's/^\(>*From \)/>\1/' "$f"
    echo
done > "$mbox"
m1=$("$MXB" classify --json --mbox --jobs 1 "$mbox" "$mbox")
m3=$("$MXB" classify --json --mbox --jobs 3 "$mbox" "$mbox")
check "--mbox with threads prints what one prints" "$m3" "$m1"
check "--mbox: messages numbered in order, twice" \
    "$(printf '%s\n' "$m3" | sed -n 's/.*"message":\([0-9]*\),.*/\1/p' | uniq | tr '\n' ' ')" \
    "$(seq 1 ${#fixtures[@]} | tr '\n' ' ')$(seq 1 ${#fixtures[@]} | tr '\n' ' ')"

# A mailbox over a megabyte, whose printed pages are given back as it goes
# (RELEASE_CHUNK): twelve copies of the one above read as those copies are.
big=$TMP/big.mbox
for _ in $(seq 1 12); do cat "$mbox"; done > "$big"
[ "$(stat -c %s "$big")" -gt $((1024 * 1024)) ] || not_ok "the large mailbox is over a megabyte"
n=${#fixtures[@]}
one_copy=$("$MXB" classify --json --mbox --jobs 1 "$mbox")
want_big=$(for k in $(seq 0 11); do
    printf '%s\n' "$one_copy" | awk -v k="$k" -v n="$n" -v f="$big" '{
            match($0, /"message":[0-9]+,/); m = substr($0, RSTART + 10, RLENGTH - 11) + k * n
            sub(/"message":[0-9]+,/, "\"message\":" m ",")
            sub(/^\{"file":"[^"]*",/, "{\"file\":\"" f "\",")
            print }'
done)
check "a mailbox over a megabyte, three threads: each copy as the first" \
    "$("$MXB" classify --json --mbox --jobs 3 "$big")" "$want_big"
check "a mailbox over a megabyte, one thread: the same" \
    "$("$MXB" classify --json --mbox --jobs 1 "$big")" "$want_big"

# Many mailboxes of one message each, more than the threads' window.
for i in $(seq 1 60); do
    { echo "From MAILER-DAEMON Thu Nov 26 10:00:00 2026"; cat "${fixtures[$((i % n))]}"; } > "$TMP/one$i.mbox"
done
small=()
for i in $(seq 1 60); do small+=("$TMP/one$i.mbox"); done
check "sixty one-message mailboxes, three threads: what one prints" \
    "$("$MXB" classify --json --mbox --jobs 3 "${small[@]}")" "$("$MXB" classify --json --mbox --jobs 1 "${small[@]}")"

# No thread can start (a limit on processes, as systemd's TasksMax or a
# container's): one line says so and the messages are classified by the
# main thread, not left waiting. The limit binds only a user other than
# root: needs root to become nobody.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && command -v prlimit >/dev/null &&
    setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$MXB" -a -r "${fixtures[0]}"; then
    # (LeakSanitizer, in the sanitizer build, needs a thread of its own at exit)
    limited=$(ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
        setpriv --reuid=65534 --regid=65534 --clear-groups timeout 60 prlimit --nproc=2 \
        "$MXB" classify --json --jobs 2 "${fixtures[@]}" 2> "$TMP/nproc.err")
    check "no thread can start: exit 0" "$?" 0
    check "no thread can start: every message, in order" "$limited" \
        "$("$MXB" classify --json --jobs 1 "${fixtures[@]}")"
    check "no thread can start: one line says so" "$(sed 's/ (.*)//' "$TMP/nproc.err")" \
        "mxbounce classify: no thread started: classifying in one"
else
    echo "# the thread-limit case needs root, setpriv and prlimit, and files nobody can read: not run"
fi

# Standard output that cannot be written (a full disk): exit 1 and one
# line, not lines lost without a word.
if [ -w /dev/full ]; then
    "$MXB" classify --json --jobs 3 "${fixtures[@]}" > /dev/full 2> "$TMP/full.err"
    check "a full disk: exit 1" "$?" 1
    check "a full disk: one clear line" "$(cat "$TMP/full.err")" \
        "mxbounce classify: standard output: No space left on device"
else
    echo "# /dev/full missing: the full-disk case not run"
fi

# More threads than any machine needs is capped; a negative number is a usage error.
check "--jobs 1000 prints what --jobs 1 prints" \
    "$("$MXB" classify --json --jobs 1000 "${fixtures[@]}")" "$("$MXB" classify --json --jobs 1 "${fixtures[@]}")"
"$MXB" classify --jobs -1 "${fixtures[0]}" > /dev/null 2> "$TMP/err"
check "--jobs -1: exit 2" "$?" 2
check "--jobs -1: one clear line" "$(cat "$TMP/err")" "mxbounce classify: --jobs -1: not a number of threads"

# Local rules (classify/local.c): every thread reads with them; a file
# that is wrong is one line and exit 1, before anything is classified.
printf '[any-failure]\nreason = system_error\npattern = .\n' > "$TMP/rules"
local1=$("$MXB" classify --json --jobs 1 --local-rules "$TMP/rules" "${files[@]}")
check "--local-rules: --jobs 3 prints what --jobs 1 prints" \
    "$("$MXB" classify --json --jobs 3 --local-rules "$TMP/rules" "${files[@]}")" "$local1"
check "--local-rules: every failure with words is the rule's" \
    "$(printf '%s\n' "$local1" | grep '"kind":"bounce"' | grep -v '"diagnostic":null' | grep -vc '"reason":"system_error"')" 0
check "--local-rules: it changed some" "$([ "$local1" != "$one" ] && echo changed)" changed
check "--local-rules: the readable lines name the rule that decided" \
    "$("$MXB" classify --local-rules "$TMP/rules" "$FIX/dsn-postfix-user-unknown.eml" | head -1 | sed 's/.* reason=//')" \
    "system_error mta=postfix local=[any-failure]"
printf '[r]\nreason = spam\npattern = x\n' > "$TMP/rules"
"$MXB" classify --json --local-rules "$TMP/rules" "${fixtures[0]}" > "$TMP/out" 2> "$TMP/err"
check "--local-rules, a wrong reason: exit 1, nothing printed" "$?|$(wc -c < "$TMP/out")" "1|0"
check "--local-rules, a wrong reason: one clear line" "$(cat "$TMP/err")" \
    "mxbounce classify: $TMP/rules: rule [r]: \"spam\" is not a reason (docs/taxonomy.md names them)"
finish
