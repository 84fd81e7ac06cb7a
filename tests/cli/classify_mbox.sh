#!/bin/bash
# classify_mbox.sh MXBOUNCE SOURCE_DIR - mxbounce classify --mbox: every
# message of a mailbox classified as that message alone would be, numbered
# from 1; a file with no "From " line is one message; standard input reads
# the same; an empty or unreadable file gets its defined outcome.
set -u
MXB=$1 SRC=$2
. "$SRC/tests/lib.sh"
TMP=$(mktemp -d /tmp/mxb-mbox.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
FIX=$SRC/tests/fixtures
files=("$FIX/dsn-postfix-user-unknown.eml" "$FIX/arf-multi-recipient.eml"
       "$FIX/text-qmail.eml" "$FIX/dsn-multi-recipient.eml")
for f in "${files[@]}"; do
    [ -r "$f" ] || { echo "Bail out! fixture $f missing"; exit 1; }
done

# An mbox as mail programs write it (mboxrd): a "From " line before each
# message, ">From " for a body line that started so, a blank line after.
mbox=$TMP/bounces.mbox
for f in "${files[@]}"; do
    echo "From MAILER-DAEMON Thu Nov 26 10:00:00 2026"
    sed -e 's/^\(>*From \)/>\1/' "$f"
    echo
done > "$mbox"

# The lines each message gives alone, with the file and message number
# put in front as --mbox prints them.
want=$(n=0; for f in "${files[@]}"; do
    n=$((n + 1))
    "$MXB" classify --json "$f" | sed -e "s|^{\"file\":\"[^\"]*\",|{\"file\":\"$mbox\",\"message\":$n,|"
done)
got=$("$MXB" classify --json --mbox "$mbox")
check "each message as alone, numbered" "$got" "$want"
check "four messages" "$(printf '%s\n' "$got" | sed -n 's/.*"message":\([0-9]*\),.*/\1/p' | sort -u | tr '\n' ' ')" "1 2 3 4 "
[ "$(printf '%s\n' "$got" | wc -l)" -ge 5 ] && ok "more lines than messages (several recipients)" ||
    not_ok "more lines than messages" "$(printf '%s\n' "$got" | wc -l) lines"

got_stdin=$("$MXB" classify --json --mbox - < "$mbox")
check "standard input reads the same" "$(printf '%s\n' "$got_stdin" | sed 's/^{"file":"-",/{"file":"X",/')" \
    "$(printf '%s\n' "$got" | sed "s|^{\"file\":\"$mbox\",|{\"file\":\"X\",|")"

text=$("$MXB" classify --mbox "$mbox" | grep -c "^$mbox\[[1-4]\]: ")
check "text lines name FILE[N]" "$text" "$(printf '%s\n' "$got" | wc -l)"

# No "From " line: the whole file is one message.
one=$("$MXB" classify --json --mbox "${files[0]}")
check "no From line: one message" "$one" \
    "$("$MXB" classify --json "${files[0]}" | sed -e 's|^{\("file":"[^"]*",\)|{\1"message":1,|')"

# Without --mbox the mailbox is one message (the first report only).
check "without --mbox: the first message's recipient" \
    "$("$MXB" classify --json "$mbox" | head -1 | grep -o '"recipient":"[^"]*"')" '"recipient":"alice@example.net"'

# mboxo: a body line "From ..." left unescaped, not after a blank line,
# starts no message.
mboxo=$TMP/mboxo.mbox
{ echo "From MAILER-DAEMON Thu Nov 26 10:00:00 2026"; cat "${files[0]}"
  echo "From the depths of the body, unescaped"; echo
  echo "From MAILER-DAEMON Thu Nov 26 10:00:01 2026"; cat "${files[2]}"; } > "$mboxo"
check "mboxo: an unescaped From line in a body splits nothing" \
    "$("$MXB" classify --json --mbox "$mboxo" | sed -n 's/.*"message":\([0-9]*\),.*/\1/p' | sort -u | tr '\n' ' ')" "1 2 "

# A pipe is spooled, not read as empty.
check "a pipe reads as the file" "$("$MXB" classify --json --mbox <(cat "$mbox") | sed 's/^{"file":"[^"]*",//')" \
    "$(printf '%s\n' "$got" | sed 's/^{"file":"[^"]*",//')"
check "empty standard input: one unparseable line" \
    "$("$MXB" classify --json --mbox - < /dev/null | grep -o '"message":1,"kind":"unparseable"')" \
    '"message":1,"kind":"unparseable"'
"$MXB" classify --mbox "$TMP" > /dev/null 2> "$TMP/direrr"
check "a directory: exit 1" "$?" 1
check "a directory: one clear line" "$(cat "$TMP/direrr")" "mxbounce classify: $TMP: Is a directory"

: > "$TMP/empty"
check "empty file: one unparseable line" "$("$MXB" classify --json --mbox "$TMP/empty" | grep -o '"message":1,"kind":"unparseable"')" \
    '"message":1,"kind":"unparseable"'
"$MXB" classify --mbox "$TMP/none" "$mbox" > "$TMP/out" 2> "$TMP/err"
check "unreadable file: exit 1" "$?" 1
check "unreadable file: the others still read" "$(grep -c "^$mbox\[" "$TMP/out")" "$(printf '%s\n' "$got" | wc -l)"
check "unreadable file: one clear line" "$(cat "$TMP/err")" "mxbounce classify: $TMP/none: No such file or directory"
finish
