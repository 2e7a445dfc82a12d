#!/usr/bin/env bash
# tests/cli.sh GILVM -- the command line: flags, exit statuses, -c, stdin programs,
# --dis, the REPL driven through a pipe and (when tmux is installed) a real terminal.
# Prints ok/FAIL per check and a closing `N passed, N failed`.
set -uo pipefail
gilvm=$1
[[ $gilvm == */* ]] || gilvm=./$gilvm
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

check() {  # check NAME EXPECTED_STATUS COMMAND... ; output in $tmp/out, $tmp/err
    local name=$1 want=$2
    shift 2
    local st=0
    "$@" >"$tmp/out" 2>"$tmp/err" </dev/null || st=$?
    if [[ $st == "$want" ]]; then
        return 0
    fi
    printf 'FAIL %s: exit status %s, expected %s\n' "$name" "$st" "$want"
    sed 's/^/  | /' "$tmp/err" | head -5
    fail=$((fail + 1))
    return 1
}
has() {  # has NAME FILE PATTERN
    if grep -qE -- "$3" "$2"; then
        printf 'ok %s\n' "$1"
        pass=$((pass + 1))
    else
        printf 'FAIL %s: %s does not match /%s/\n' "$1" "$(basename "$2")" "$3"
        sed 's/^/  | /' "$2" | head -8
        fail=$((fail + 1))
    fi
}

check version 0 "$gilvm" --version && has version "$tmp/out" '^gilvm [0-9]+\.[0-9]+'
check help 0 "$gilvm" --help && has help "$tmp/out" '--dis.*e\.g\.'
check unknown-flag 2 "$gilvm" --frobnicate x.py && has unknown-flag "$tmp/err" "unknown option '--frobnicate'"
check missing-value 2 "$gilvm" -c && has missing-value "$tmp/err" "needs a value"
check missing-file 2 "$gilvm" "$tmp/nope.py" && has missing-file "$tmp/err" "can't open file .*nope.py.*No such file"
check dash-c 0 "$gilvm" -c 'import sys; print(6 * 7, sys.argv)' a b && has dash-c "$tmp/out" "^42 \['-c', 'a', 'b'\]$"
printf 'import sys\nprint(sys.argv[1:], 2 ** 64)\n' >"$tmp/s.py"
check argv 0 "$gilvm" "$tmp/s.py" x --y && has argv "$tmp/out" "^\['x', '--y'\] 18446744073709551616$"
check exc-status 1 "$gilvm" -c 'def f(): 1/0
f()' && has exc-status "$tmp/err" '^ZeroDivisionError: division by zero$'
has traceback "$tmp/err" '^  File "<string>", line 1, in f$'
check exit-code 7 "$gilvm" -c 'import sys; sys.exit(7)' && { echo "ok exit-code"; pass=$((pass + 1)); }
check syntax 1 "$gilvm" -c 'x = (1 +' && has syntax "$tmp/err" "^SyntaxError: '\(' was never closed$"

# A program on stdin (not a terminal): read and run it, as python3 does.
st=0
printf 'x = 5\nprint(x * 2)\n' | "$gilvm" >"$tmp/out" 2>"$tmp/err" || st=$?
if [[ $st == 0 ]]; then has stdin-program "$tmp/out" '^10$'; else echo "FAIL stdin-program: status $st"; fail=$((fail + 1)); fi

# --dis: read-modify-write is load / operate / store for a global, an attribute and a subscript.
cat >"$tmp/rmw.py" <<'PY'
counter = 0
class C:
    n = 0
def bump(obj, d):
    global counter
    counter += 1
    obj.n += 1
    d["k"] += 1
PY
check dis 0 "$gilvm" --dis "$tmp/rmw.py"
tr -s ' ' <"$tmp/out" >"$tmp/dis"
has dis-global "$tmp/dis" 'LOAD_GLOBAL [0-9]+ \(counter\)'
has dis-global-store "$tmp/dis" 'STORE_GLOBAL [0-9]+ \(counter\)'
has dis-attr "$tmp/dis" 'LOAD_ATTR [0-9]+ \(n\)'
has dis-attr-store "$tmp/dis" 'STORE_ATTR [0-9]+ \(n\)'
has dis-subscr "$tmp/dis" 'BINARY_SUBSCR'
has dis-subscr-store "$tmp/dis" 'STORE_SUBSCR'
has dis-inplace "$tmp/dis" 'BINARY_OP [0-9]+ \(\+=\)'

# The REPL in a real terminal: prompts, echo of results, multi-line blocks, errors.
if command -v tmux >/dev/null 2>&1; then
    sock="gilvm-cli-$$"
    tmux -L "$sock" new-session -d -x 100 -y 30 "$gilvm" 2>/dev/null
    sleep 0.5
    tmux -L "$sock" send-keys '1 + 2' Enter
    tmux -L "$sock" send-keys 'def f(x):' Enter '    return x * 10' Enter Enter
    tmux -L "$sock" send-keys 'f(4)' Enter
    tmux -L "$sock" send-keys '1/0' Enter
    tmux -L "$sock" send-keys 'print("still here")' Enter
    sleep 1
    tmux -L "$sock" capture-pane -p >"$tmp/screen"
    tmux -L "$sock" send-keys C-d
    sleep 0.3
    tmux -L "$sock" kill-server 2>/dev/null || true
    has repl-prompt "$tmp/screen" '^>>> 1 \+ 2$'
    has repl-echo "$tmp/screen" '^3$'
    has repl-continuation "$tmp/screen" '^\.\.\.     return x \* 10$'
    has repl-block "$tmp/screen" '^40$'
    has repl-error "$tmp/screen" '^ZeroDivisionError: division by zero$'
    has repl-goes-on "$tmp/screen" '^still here$'
else
    echo "note: tmux not installed, REPL terminal checks skipped"
fi

printf '%d passed, %d failed\n' "$pass" "$fail"
((fail == 0))
