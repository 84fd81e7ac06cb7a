# lib.sh - shared helpers of the shell tests (sourced, not run)
#
# ok NAME / not_ok NAME [DETAIL...] / check NAME GOT WANT print one TAP-like
# line each; finish prints "N passed, N failed" and returns non-zero on any
# failure.
pass=0 fail=0

ok() { pass=$((pass + 1)); echo "ok - $1"; }
not_ok() { fail=$((fail + 1)); echo "not ok - $1"; shift; for l in "$@"; do echo "    $l"; done; }
# check NAME GOT WANT
check() { if [ "$2" == "$3" ]; then ok "$1"; else not_ok "$1" "got:  $2" "want: $3"; fi; }
finish() { echo "$pass passed, $fail failed"; [ "$fail" = 0 ]; }
