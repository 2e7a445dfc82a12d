#!/usr/bin/env bash
# tests/compare.sh GILVM -- --compare, asserted by properties that hold in every
# run (never by timing):
#   cpu_bound and io_bound: a table with both modes, every row, status 0, at most
#   80 columns; lost_update: "lost updates" 0 under the GIL and > 0 free-threaded
#   (2+ cores); hello: the output once, no differing line; a mode-dependent print:
#   the differing lines; script arguments and GIL-model flags passed on; a script's
#   own exit status (3) in the table with --compare's status 0; usage errors
#   (missing file, --gil, --free-threaded, --stats, no script) are status 2; a child
#   killed by a signal is reported; a binary that can't start is status 1; Ctrl-C
#   stops the running child (no orphan) with status 130; no temporary file is left.
set -uo pipefail
gilvm=$1
[[ $gilvm == */* ]] || gilvm=./$gilvm
gilvm=$(cd "$(dirname "$gilvm")" && pwd -P)/$(basename "$gilvm")
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
samples=$root/samples
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Every temporary file --compare makes goes here; it must be empty at the end.
mkdir "$tmp/t"
export TMPDIR=$tmp/t
pass=0 fail=0
ok() { printf 'ok %s\n' "$1"; pass=$((pass + 1)); }
bad() {
    printf 'FAIL %s: %s\n' "$1" "$2"
    fail=$((fail + 1))
    sed 's/^/  | /' "$tmp/out" "$tmp/err" | head -40
}
cores=$(nproc 2>/dev/null || echo 1)

# run ARGS... -- gilvm, stdout to $tmp/out, stderr to $tmp/err, status in $st.
run() {
    st=0
    timeout 300 "$gilvm" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null || st=$?
}
# row LABEL -- the two values of a table row, separated by "|" (values may hold
# spaces: "killed by SIGSEGV"); the columns are 19 wide after a 30-wide label.
row() {
    grep -E "^$1 " "$tmp/out" | head -1 | awk '{ v1 = substr($0, 31, 19); v2 = substr($0, 50, 19);
        gsub(/^ +/, "", v1); gsub(/^ +/, "", v2); print v1 "|" v2 }'
}
# table_ok -- every row of the table is there, with both columns, in 80 columns.
table_ok() {
    local label
    grep -qE '^ +--gil +--free-threaded$' "$tmp/out" || return 1
    for label in "exit status" "wall time" "CPU time" "parallelism \(CPU / wall\)" threads \
            "GIL wait \(all threads\)" "GIL hand-overs" "object-lock contention" \
            "cross-thread refcount ops"; do
        grep -qE "^$label " "$tmp/out" || return 1
    done
    # (the first line names the script, as long as its path)
    grep -q '^verdict: ' "$tmp/out" && ! awk 'NR > 1 && length($0) > 80 { bad = 1 } END { exit !bad }' "$tmp/out"
}

# --- the samples -------------------------------------------------------------------------
for sample in cpu_bound io_bound; do
    run --compare "$samples/$sample.py"
    if [[ $st == 0 ]] && table_ok && [[ $(row "exit status") == "0|0" ]] \
            && [[ $(row threads) == "3|3" || $sample != cpu_bound ]] \
            && [[ $(row threads) == "6|6" || $sample != io_bound ]] \
            && [[ $(row "GIL wait") == *"|-" && $(row "object-lock contention") == "-|"* ]] \
            && [[ ! -s $tmp/err ]]; then
        ok "$sample"
    else
        bad "$sample" "status $st, exit row '$(row "exit status")', threads '$(row threads)'"
    fi
done

run --compare "$samples/lost_update.py"
lost=$(row "lost updates")
if ((cores < 2)); then
    ok "lost_update (skipped: $cores core)"
elif [[ $st == 0 && ${lost%|*} == 0 && ${lost#*|} =~ ^[1-9][0-9,]*$ ]] \
        && grep -q '^  gil  | expected 1,000,000  actual 1,000,000' "$tmp/out" \
        && grep -q '^  *updates were lost in free-threaded mode only$' "$tmp/out"; then
    ok lost_update
else
    bad lost_update "status $st, lost updates '$lost'"
fi

# --- the output --------------------------------------------------------------------------
run --compare "$samples/hello.py"
if [[ $st == 0 ]] && grep -q '^output (the same in both modes):$' "$tmp/out" \
        && grep -q '^  Hello, gilvm!$' "$tmp/out" && ! grep -qE '^  (gil|free) +\|' "$tmp/out" \
        && ! grep -q '^lost updates' "$tmp/out"; then
    ok hello-same-output
else
    bad hello-same-output "status $st"
fi

printf 'import sys\nprint("same")\nprint(sys._is_gil_enabled())\nprint("end")\n' >"$tmp/mode.py"
run --compare "$tmp/mode.py"
if [[ $st == 0 ]] && grep -q '^output: 2 lines the same in both modes; these differ:$' "$tmp/out" \
        && grep -qx '  gil  | True' "$tmp/out" && grep -qx '  free | False' "$tmp/out" \
        && ! grep -qE '^  (gil|free) +\| (same|end)' "$tmp/out"; then
    ok mode-dependent-line
else
    bad mode-dependent-line "status $st"
fi

# Many differing lines are capped.
run --compare -c 'import sys
for i in range(50):
    print(i, sys._is_gil_enabled())'
if [[ $st == 0 ]] && [[ $(grep -cE '^  (gil|free) +\|' "$tmp/out") == 20 ]] \
        && grep -q '^  \.\.\. 80 more$' "$tmp/out"; then
    ok diff-capped
else
    bad diff-capped "status $st"
fi

# Script arguments reach both runs; GIL-model flags only the --gil run (no
# "does nothing with --free-threaded" warning).
run --compare --preempt=instruction --switch-every=20 -c 'import sys; print(sys.argv[1:])' a 'b c'
if [[ $st == 0 ]] && grep -q "^  \['a', 'b c'\]$" "$tmp/out" \
        && grep -q '^ran with --gil --preempt=instruction --switch-every=20, then with --free-threaded$' "$tmp/out" \
        && ! grep -q 'does nothing' "$tmp/out" "$tmp/err"; then
    ok args-and-gil-flags
else
    bad args-and-gil-flags "status $st"
fi

# --- statuses ----------------------------------------------------------------------------
run --compare -c 'import sys; print("bye"); sys.exit(3)'
if [[ $st == 0 && $(row "exit status") == "3|3" ]]; then
    ok script-status-3
else
    bad script-status-3 "status $st, exit row '$(row "exit status")'"
fi

run --compare -c '1 / 0'
if [[ $st == 0 && $(row "exit status") == "1 (exception)|1 (exception)" ]] \
        && grep -q '^stderr (the same in both modes):$' "$tmp/out" \
        && grep -q 'ZeroDivisionError' "$tmp/out"; then
    ok script-exception
else
    bad script-exception "status $st, exit row '$(row "exit status")'"
fi

run --compare "$tmp/no-such-script.py"
if [[ $st == 2 && $(<"$tmp/err") == *"can't open file '$tmp/no-such-script.py'"* && ! -s $tmp/out ]]; then
    ok usage-missing-file
else
    bad usage-missing-file "status $st"
fi
for flags in "--compare --gil" "--free-threaded --compare" "--compare --stats" "--compare --dis"; do
    read -ra f <<<"$flags"
    run "${f[@]}" "$samples/hello.py"
    named=${flags/--compare/}
    named=${named// /}
    if [[ $st == 2 && $(<"$tmp/err") == *"$named"* && ! -s $tmp/out ]]; then
        ok "usage $flags"
    else
        bad "usage $flags" "status $st"
    fi
done
run --compare
if [[ $st == 2 && $(<"$tmp/err") == *"--compare needs a script"* ]]; then
    ok usage-no-script
else
    bad usage-no-script "status $st"
fi

# A child killed by a signal: a stand-in binary that crashes in free-threaded mode.
cat >"$tmp/crashy" <<EOF
#!/bin/sh
for a; do [ "\$a" = --free-threaded ] && kill -SEGV \$\$; done
exec "$gilvm" "\$@"
EOF
chmod +x "$tmp/crashy"
GILVM_COMPARE_EXE=$tmp/crashy run --compare "$samples/hello.py"
if [[ $st == 0 && $(row "exit status") == "0|killed by SIGSEGV" ]] \
        && grep -q '^verdict: the --free-threaded run was killed by SIGSEGV' "$tmp/out"; then
    ok child-killed-by-signal
else
    bad child-killed-by-signal "status $st, exit row '$(row "exit status")'"
fi

GILVM_COMPARE_EXE=$tmp/no-such-binary run --compare "$samples/hello.py"
if [[ $st == 1 && $(<"$tmp/err") == *"can't run"* ]]; then
    ok cant-start-child
else
    bad cant-start-child "status $st"
fi

# Ctrl-C (SIGINT to --compare alone): the running child is stopped, nothing is left.
"$gilvm" --compare -c 'import time; time.sleep(60)' >"$tmp/out" 2>"$tmp/err" </dev/null &
cmp_pid=$!
child=
for _ in $(seq 100); do
    child=$(pgrep -P "$cmp_pid" | head -1)
    [[ -n $child ]] && break
    sleep 0.05
done
kill -INT "$cmp_pid"
st=0
wait "$cmp_pid" || st=$?
alive=0
# A reaped child is gone; one reparented to an init that does not reap is a zombie.
if [[ -n $child ]] && kill -0 "$child" 2>/dev/null \
        && [[ $(ps -o stat= -p "$child" 2>/dev/null) != Z* ]]; then
    alive=1
fi
if [[ -n $child && $st == 130 && $alive == 0 ]] && grep -q 'interrupted' "$tmp/err"; then
    ok ctrl-c-stops-child
else
    bad ctrl-c-stops-child "status $st, child '$child' alive $alive"
    [[ -n $child ]] && kill -KILL "$child" 2>/dev/null
fi

run --help
if grep -q -- '--compare ' "$tmp/out" && grep -q 'gilvm --compare samples/lost_update.py' "$tmp/out"; then
    ok help
else
    bad help "--compare missing from --help"
fi

left=$(ls -A "$TMPDIR" | wc -l)
if [[ $left == 0 ]]; then
    ok no-temp-files-left
else
    bad no-temp-files-left "$(ls -A "$TMPDIR" | head)"
fi

printf '%d passed, %d failed\n' "$pass" "$fail"
((fail == 0))
