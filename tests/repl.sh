#!/usr/bin/env bash
# tests/repl.sh GILVM -- the interactive prompt in a real terminal (tmux): history across
# runs, blocks, Ctrl-C and Ctrl-D, tab completion and the colon commands.
#
# Every step waits (up to $WAIT seconds) for the screen to show what it expects before the
# next keys are sent, so nothing depends on how fast the machine is. In particular Ctrl-C
# is only sent once the screen shows the typed text or the running code's first output:
# the terminal discards unread input when it turns Ctrl-C into SIGINT.
# Prints ok/FAIL per check and a closing `N passed, N failed`.
set -uo pipefail
gilvm=$1
[[ $gilvm == */* ]] || gilvm=./$gilvm
gilvm=$(cd "$(dirname "$gilvm")" && pwd)/$(basename "$gilvm")
readonly WAIT=${REPL_TEST_WAIT:-30}
pass=0 fail=0

if ! command -v tmux >/dev/null 2>&1; then
    echo "note: tmux not installed, REPL terminal tests skipped"
    echo "0 passed, 0 failed"
    exit 0
fi

tmp=$(mktemp -d)
sock=
nsessions=0
# Our own tmux configuration: no user file, scrollback for the longest session.
printf 'set -g history-limit 5000\n' >"$tmp/tmux.conf"
stop_server() {
    [[ -n $sock ]] || return 0
    tmux -L "$sock" kill-server 2>/dev/null
    rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$sock"
}
cleanup() {
    stop_server
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ok() { printf 'ok %s\n' "$1"; pass=$((pass + 1)); }
bad() {
    printf 'FAIL %s: %s\n' "$1" "$2"
    [[ -f $tmp/screen ]] && sed 's/^/  | /' "$tmp/screen" | grep -v '^  | $' | tail -25
    fail=$((fail + 1))
}

# start HOME [ARGS...] -- run gilvm in a fresh tmux session; its exit status goes to
# $tmp/status when it ends.
start() {
    local home=$1
    shift
    rm -f "$tmp/status" "$tmp/screen"
    stop_server
    # A fresh server per session, under a name no earlier run can have left behind.
    nsessions=$((nsessions + 1))
    sock="gilvm-repl-$$-$RANDOM-$nsessions"
    printf '%q ' env "HOME=$home" "$gilvm" "$@" >"$tmp/cmd"
    printf '; echo $? >%q; sleep 600\n' "$tmp/status" >>"$tmp/cmd"
    tmux -L "$sock" -f "$tmp/tmux.conf" new-session -d -x 120 -y 50 "bash $(printf %q "$tmp/cmd")"
    wait_for '^>>> ?$' || { bad start "no >>> prompt"; return 1; }
}
keys() { tmux -L "$sock" send-keys "$@"; }
# wait_for PATTERN -- until the whole screen (with scrollback) matches the ERE.
wait_for() {
    local deadline=$((SECONDS + WAIT))
    while ((SECONDS < deadline)); do
        tmux -L "$sock" capture-pane -p -S - >"$tmp/screen" 2>/dev/null
        grep -qE -- "$1" "$tmp/screen" && return 0
        sleep 0.1
    done
    return 1
}
# count PATTERN -- how many lines of the screen match the ERE.
count() {
    tmux -L "$sock" capture-pane -p -S - 2>/dev/null | grep -cE -- "$1"
}
# ctrl_c -- send Ctrl-C and wait until the REPL has printed one more KeyboardInterrupt.
ctrl_c() {
    local n deadline=$((SECONDS + WAIT))
    n=$(count '^KeyboardInterrupt$')
    keys C-c
    while ((SECONDS < deadline)); do
        (($(count '^KeyboardInterrupt$') > n)) && return 0
        sleep 0.1
    done
    return 1
}
# expect NAME PATTERN -- a check: the screen comes to match PATTERN.
expect() {
    if wait_for "$2"; then ok "$1"; else bad "$1" "screen does not match /$2/"; fi
}
# expect_not NAME PATTERN -- the screen (now) does not match PATTERN.
expect_not() {
    tmux -L "$sock" capture-pane -p -S - >"$tmp/screen" 2>/dev/null
    if grep -qE -- "$2" "$tmp/screen"; then bad "$1" "screen matches /$2/"; else ok "$1"; fi
}
# expect_exit NAME STATUS -- gilvm ends with STATUS.
expect_exit() {
    local deadline=$((SECONDS + WAIT))
    while ((SECONDS < deadline)) && [[ ! -s $tmp/status ]]; do sleep 0.1; done
    local st
    st=$(cat "$tmp/status" 2>/dev/null)
    if [[ $st == "$2" ]]; then ok "$1"; else bad "$1" "exit status '${st:-none}', expected $2"; fi
}

home=$tmp/home
mkdir -p "$home"

# --- session 1 -----------------------------------------------------------------------------
start "$home" || exit 1

# Multi-line block.
keys 'def triple(x):' Enter '    y = x * 3' Enter '    return y' Enter Enter
keys 'triple(14)' Enter
expect block-continuation '^\.\.\.     return y$'
expect block-result '^42$'

# History entry for session 2.
keys 'print("hist" + "ory-ok")' Enter
expect history-first-run '^history-ok$'

# Completion: a global name, an attribute, a colon command.
keys 'longvar_name = 5' Enter
keys 'longvar_n' Tab ' + 1' Enter
expect complete-global '^>>> longvar_name \+ 1$'
expect complete-global-value '^6$'
keys 'import math' Enter
keys 'math.facto' Tab '(5)' Enter
expect complete-attribute '^>>> math\.factorial\(5\)$'
expect complete-attribute-value '^120$'
keys ':thr' Tab Enter
expect complete-command '^>>> :threads ?$'
expect threads-main '^\*  *1  MainThread  *running '
keys ':stats' Enter
expect stats-table '^gilvm --stats: 1 thread'

# :dis of a function.
keys ':dis triple' Enter
expect dis-function '^ *3 +[0-9]+ LOAD_FAST +[0-9]+ \(y\)$'
expect dis-function-mul 'BINARY_OP +[0-9]+ \(\*\)'

# Unknown colon command.
keys ':frobnicate' Enter
expect unknown-command '^:frobnicate: unknown command\. Try :help :dis :mode '

# Ctrl-C cancels a typed line...
keys 'print("never" + "printed")'
wait_for '^>>> print\("never" \+ "printed"\)$'
if ctrl_c; then ok ctrl-c-line; else bad ctrl-c-line "no KeyboardInterrupt after Ctrl-C"; fi
keys 'print("after" + "-cancel")' Enter
expect ctrl-c-line-goes-on '^after-cancel$'
expect_not ctrl-c-line-not-run '^neverprinted$'
# ... and a half-typed block.
keys 'def halfblock():' Enter '    return 1'
wait_for '^\.\.\.     return 1$'
if ctrl_c; then ok ctrl-c-block; else bad ctrl-c-block "no KeyboardInterrupt after Ctrl-C"; fi
keys 'halfblock' Enter
expect ctrl-c-block-dropped "^NameError: name 'halfblock' is not defined$"

# Ctrl-C interrupts running code with KeyboardInterrupt; the REPL goes on.
keys 'def spin():' Enter '    print("spin" + "ning")' Enter '    while True: pass' Enter Enter
keys 'spin()' Enter
wait_for '^spinning$'
if ctrl_c; then ok ctrl-c-running; else bad ctrl-c-running "no KeyboardInterrupt after Ctrl-C"; fi
expect ctrl-c-traceback '^  File "<stdin>", line 3, in spin$'
keys 'print("still" + "-alive")' Enter
expect ctrl-c-goes-on '^still-alive$'
# The KeyboardInterrupt can be caught around the loop it interrupts.
keys 'try:' Enter '    print("loop" + "ing")' Enter '    while True: pass' Enter
keys 'except KeyboardInterrupt:' Enter '    print("caught" + "-it")' Enter Enter
wait_for '^looping$'
keys C-c
expect ctrl-c-caught '^(\^C)?caught-it$'

# :mode switches the interpreter; sys._is_gil_enabled() follows.
keys ':mode free' Enter
expect mode-free '^mode: free-threaded'
keys 'import sys; sys._is_gil_enabled()' Enter
expect mode-free-gil-disabled '^False$'
keys ':mode gil' Enter
expect mode-gil '^mode: GIL'
keys 'sys._is_gil_enabled()' Enter
expect mode-gil-enabled '^True$'

# With another thread alive :mode refuses and names it; :threads lists it.
keys 'import threading' Enter
keys 'ev = threading.Event()' Enter
keys 'def waiter():' Enter '    ev.wait()' Enter Enter
keys 'th = threading.Thread(target=waiter); th.start()' Enter
keys 'held = threading.Lock(); held.acquire()' Enter
keys ':mode free' Enter
expect mode-refused "^:mode: cannot switch to free-threaded mode while other threads exist:$"
expect mode-refused-names "^  Thread-1 \(waiter\) \((blocked|running)\)$"
keys 'sys._is_gil_enabled()' Enter
expect mode-refused-unchanged '^True$'
keys ':threads' Enter
expect threads-thread '^   2  Thread-1 \(waiter\)  (blocked|running) '
expect threads-wait-info '^ +waits on Event ev$'
expect threads-holds '^ +holds held \(taken at <stdin>:1 in <module>\)$'
keys ':stats' Enter
expect stats-header '^gilvm --stats: 2 threads, GIL'
expect stats-thread '^Thread-1 \(waiter'
keys 'ev.set(); th.join(); print("joined" + "-ok")' Enter
expect thread-joined '^joined-ok$'
# A thread waiting for a lock the main thread holds: :threads names the holder and
# where it is (start of the line only: the terminal wraps it).
keys 'def taker():' Enter '    with held:' Enter '        pass' Enter Enter
keys 'tk = threading.Thread(target=taker); tk.start()' Enter
keys ':threads' Enter
expect threads-lock-holder-now '^ +waits for Lock held, held by MainThread \(acquired at <stdin>:1 in <module>\); it is at'
keys 'held.release(); tk.join(); print("taker" + "-done")' Enter
expect taker-joined '^taker-done$'

# Ctrl-D leaves with status 0.
keys C-d
expect_exit ctrl-d-exit 0
if grep -qxF 'print("hist" + "ory-ok")' "$home/.gilvm_history" 2>/dev/null; then
    ok history-file
else
    bad history-file "$home/.gilvm_history lacks the line typed"
fi

# --- session 2: the history of session 1 is there --------------------------------------------
start "$home" || exit 1
# Search the history (Ctrl-R) for the line typed in session 1 and run it.
keys C-r 'ory-ok'
expect history-search "reverse-i-search.*print\\(\"hist\" \\+ \"ory-ok\"\\)"
keys Enter
expect history-second-run '^history-ok$'
keys ':quit' Enter
expect_exit quit-exit 0

# --- session 3: :step -- the statements typed next run one instruction at a time -------------
start "$home" || exit 1
keys 'import threading' Enter
keys 'n = 0' Enter
keys 'def bump():' Enter '    global n' Enter '    n += 1' Enter Enter
keys 'ev = threading.Event(); th = threading.Thread(target=ev.wait); th.start()' Enter
keys ':step on' Enter
expect step-refused '^:step: cannot turn stepping on while other threads exist:$'
keys 'ev.set(); th.join()' Enter
keys ':step on' Enter
expect step-on '^stepping on: '
keys 't = threading.Thread(target=bump); t.start(); t.join(); print("n is", n)' Enter
expect step-stop '^\[1\] MainThread .*line 1 '
keys 'n' Enter
expect step-other-thread '^\[3\] Thread-2 \(bump\) +line 3 +LOAD_GLOBAL 0 \(n\)'
keys 's' Enter
expect step-effect '^ +pushed 0$'
keys 'p n + 41' Enter
expect step-print '^  41$'
keys 'c' Enter
expect step-done '^n is 1$'
keys ':step off' Enter
expect step-off '^stepping off$'
keys '6 * 7' Enter
expect step-off-runs '^42$'
keys ':step on' Enter
keys 'bump(); print("after", n)' Enter
expect step-again '^\[1\] MainThread .*line 1 '
keys 'q' Enter
expect step-q '^  stepping off: this statement runs to its end$'
expect step-q-runs '^after 2$'
expect step-q-off '^stepping off$'
keys C-d
expect_exit step-exit 0

# --- a history file that cannot be used does not stop the REPL --------------------------------
mkdir -p "$tmp/badhome/.gilvm_history"
start "$tmp/badhome" || exit 1
expect history-bad-warns 'cannot (read|create|write) history file'
keys '6 * 7' Enter
expect history-bad-works '^42$'
keys C-d
expect_exit history-bad-exit 0

printf '%d passed, %d failed\n' "$pass" "$fail"
((fail == 0))
