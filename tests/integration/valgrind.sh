#!/usr/bin/env bash
# valgrind.sh - the filter's direct mode under valgrind, into a real PostgreSQL
#
# usage: valgrind.sh MXBOUNCE_FILTER MXBOUNCE SOURCE_DIR
#
# Runs mxbounce-record under memcheck for a handful of fixtures of every
# kind, started by mxbounce-filter exactly as pipe(8) would start it, and
# fails on any memcheck error or definite leak. mxbounce-filter runs the
# mxbounce-record beside it: here a copy of the filter beside a script of
# that name that runs the real one under valgrind. The filter itself is
# not run under memcheck: it is linked statically (MXB_STATIC_FILTER), and
# memcheck cannot replace a static C library's malloc, so it reports that
# library's own start-up; the sanitizer build links it dynamically and
# checks it. An error makes valgrind exit 99, which the filter turns into
# 75 ("recording failed"). Registered only in builds
# without sanitizers (valgrind cannot run ASan binaries). mxbounced is not
# run here: its rules are compiled to machine code (PCRE2 JIT), which
# memcheck cannot follow; the fuzz targets and the ASan build cover its
# parsing.
set -uo pipefail
umask 077 # the configuration files hold keys: mxbounce refuses them readable by others

FILTER=$1 MXBOUNCE=$2 SRC=$3
FIX=$SRC/tests/fixtures
. "$SRC/tests/lib.sh"

command -v valgrind >/dev/null || { echo "Bail out! valgrind is not installed (scripts/install-deps)"; exit 1; }
pg_setup vg
CONF=$TMP/mxbounce.conf
printf '[database]\nconninfo = %s\n[filter]\nlog = stderr\ndeadline = 120\n[verp]\nkey.1 = %s\n' \
    "$CONNINFO" "$("$MXBOUNCE" verp new-key)" >"$CONF"
"$MXBOUNCE" migrate -c "$CONF" >/dev/null || { echo "Bail out! migrate failed"; exit 1; }
ENVR="b+$("$MXBOUNCE" verp make -c "$CONF" --account 7 --list 1)@bounces.example.com"

mkdir "$TMP/bin"
cp "$FILTER" "$TMP/bin/mxbounce-filter"
printf '#!/bin/sh\nexec env G_SLICE=always-malloc valgrind --error-exitcode=99 --leak-check=full \\\n    --errors-for-leak-kinds=definite --show-leak-kinds=definite --track-origins=yes \\\n    --log-file="$VGLOG" %s "$@"\n' \
    "$(dirname "$FILTER")/mxbounce-record" >"$TMP/bin/mxbounce-record"
chmod 755 "$TMP/bin/mxbounce-record"
n=0
for f in dsn-postfix-user-unknown dsn-multi-recipient text-exim-multi arf-multi-recipient \
    auto-reply-subject ses-sns-bounce human-reply garbage; do
    n=$((n + 1))
    VGLOG=$TMP/vg-$f "$TMP/bin/mxbounce-filter" -c "$CONF" -- "VG$n" "" "$ENVR" "$ENVR" 192.0.2.1 \
        <"$FIX/$f.eml" >"$TMP/out" 2>"$TMP/err"
    rc=$?
    check "$f: exit 0 under memcheck" "$rc" 0
    errs=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$TMP/vg-$f" 2>/dev/null)
    check "$f: mxbounce-record ran under memcheck, no error" \
        "$(grep -c 'Command: .*mxbounce-record' "$TMP/vg-$f" 2>/dev/null)|$errs" "1|0"
    [ "$rc" = 0 ] || sed -n '1,40p' "$TMP/vg-$f" | sed 's/^/    /'
done
check "every message recorded once" "$(sql "SELECT count(*) FROM mxbounce.reports")" "$n"
finish
