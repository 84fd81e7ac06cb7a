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

# pg_setup NAME - for the integration tests: $TMP, a temporary directory
# the postgres user can reach, with a throwaway PostgreSQL in $TMP/pg
# (scripts/pgtmp, needs $SRC); sets CONNINFO and PG; both go on exit.
# sql STATEMENT runs one statement there and prints the rows unaligned.
pg_setup() {
    TMP=$(mktemp -d "/tmp/mxb-$1.XXXXXX")
    chmod 755 "$TMP"
    PG=$TMP/pg
    trap '"$SRC/scripts/pgtmp" stop "$PG" >/dev/null 2>&1; rm -rf "$TMP"' EXIT
    CONNINFO=$("$SRC/scripts/pgtmp" start "$PG") || { echo "Bail out! cannot start PostgreSQL"; exit 1; }
}
sql() { psql "$CONNINFO" -X -Atq -v ON_ERROR_STOP=1 -c "$1"; }
# one_utc_day SECONDS - for the tests whose checks count by UTC day (or
# month): they assume that the whole test runs within one, so when fewer
# than SECONDS remain of today, UTC, wait for tomorrow first. (A run that
# crossed midnight compared yesterday's events with today's figures.)
one_utc_day() {
    local left=$((86400 - $(date -u +%s) % 86400))
    if [ "$left" -le "$1" ]; then
        echo "# $left s to midnight UTC: the checks count by day, so they start after it"
        sleep $((left + 1))
    fi
}
# sql_as ROLE STATEMENT runs it as that role and prints "ok" or the
# error's first line
sql_as() {
    local out
    if out=$(psql "$CONNINFO user=$1" -X -Atq -v ON_ERROR_STOP=1 -c "$2" 2>&1 >/dev/null); then
        echo ok
    else
        printf '%s\n' "$out" | head -1 | sed 's/^.*ERROR: *//'
    fi
}

# long_fields_message FILE - a report of six recipients of 131-byte
# addresses under status 5.7.650, and a From: past the colon limit (the
# problem "header field truncated at colon limit"): with a 200-byte sender
# its log line would run to about 950 bytes, past MXB_LOG_LINE_MAX.
long_fields_message() {
    python3 - "$1" <<'PY'
import sys
rcpts = ["x" * 118 + "%d@example.org" % i for i in range(6)]
blocks = "".join("Final-Recipient: rfc822; %s\nAction: failed\nStatus: 5.7.650\n"
                 "Diagnostic-Code: smtp; 550 5.7.650 message rejected\n\n" % r for r in rcpts)
open(sys.argv[1], "w").write(
    "From: " + ":" * 1001 + " <mailer-daemon@mx.example.net>\nTo: b@bounces.example.com\n"
    "Subject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\n"
    'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\n\n'
    "--B\nContent-Type: text/plain\n\nNot delivered.\n\n"
    "--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\n"
    + blocks + "--B--\n")
PY
}

# agent_dies FILE BYTES COMMAND... - as Postfix's pipe(8) on "postfix
# stop" or an OOM kill: a delivery agent starts COMMAND (in a session of its
# own, as pipe(8) does) with FILE on its standard input, writes the first
# BYTES of it, and dies. This shell's python adopts the orphan (a child
# subreaper) and prints how it ended within 10 s: "killed by signal N",
# "exit N" or "running". With AGENT_PID_ENV=1, COMMAND gets the agent's pid
# in MXB_AGENT_PID, as mxbounce-filter gives it to mxbounce-record.
agent_dies() {
    python3 - "$@" <<'PY'
import ctypes, os, sys, time
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER: orphans come to us
data = open(sys.argv[1], "rb").read()[:int(sys.argv[2])]
rd, wr = os.pipe()
ends = os.pipe()
agent = os.fork()
if agent == 0:
    child = os.fork()
    if child == 0:
        os.dup2(rd, 0)
        os.close(rd); os.close(wr); os.close(ends[0])
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1); os.dup2(devnull, 2)
        os.setsid()
        if os.environ.get("AGENT_PID_ENV") == "1":
            os.environ["MXB_AGENT_PID"] = str(os.getppid())
        os.execv(sys.argv[3], sys.argv[3:])
    os.close(rd)
    os.write(ends[1], b"%d\n" % child)
    os.write(wr, data)
    time.sleep(0.3)  # the filter has read it all and waits for more
    os._exit(0)      # the agent dies; the write end closes with it
os.close(rd); os.close(wr); os.close(ends[1])
child = int(os.read(ends[0], 32))
os.waitpid(agent, 0)
how = "running"
for _ in range(100):
    pid, status = os.waitpid(child, os.WNOHANG)
    if pid == child:
        how = ("killed by signal %d" % os.WTERMSIG(status) if os.WIFSIGNALED(status)
               else "exit %d" % os.WEXITSTATUS(status))
        break
    time.sleep(0.1)
print(how)
try:  # and whatever else it left (mxbounce-record, killed with it)
    while os.waitpid(-1, 0):
        pass
except ChildProcessError:
    pass
PY
}

# killed_or_deferred OUTCOME - agent_dies' outcome for a filter whose agent
# died: its parent-death signal ("killed by signal 9") or, when the agent's
# files closed first (they close before it has exited) and the filter read
# an end of input, the watch's deferral ("exit 75"); either leaves the
# message in Postfix's queue. Anything else is printed as it is.
killed_or_deferred() {
    case "$1" in
    "killed by signal 9" | "exit 75") echo "killed or deferred" ;;
    *) echo "$1" ;;
    esac
}
