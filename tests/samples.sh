#!/usr/bin/env bash
# tests/samples.sh GILVM -- every sample runs (status 0, nothing on stderr,
# except the samples that demonstrate a failure: their status is listed in
# $expected_status); the samples whose output timing and races cannot change
# print exactly what python3 prints (lines starting with "timing:" excepted);
# properties that hold in every run under other GIL models (never timing).
set -uo pipefail
gilvm=$1
[[ $gilvm == */* ]] || gilvm=./$gilvm
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
deterministic=" hello bank_transfer lost_update lost_update_lock producer_consumer refcount refcount_race sync_primitives shared_list gil_convoy deadlock_fixed "
expected_status=" deadlock:3 "   # python3 hangs on deadlock.py: never run it there
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
for f in "$root"/samples/*.py; do
    name=$(basename "$f" .py)
    st=0
    timeout 120 "$gilvm" "$f" >"$tmp/out" 2>"$tmp/err" </dev/null || st=$?
    if [[ $expected_status == *" $name:"* ]]; then
        want=${expected_status#* "$name":}
        want=${want%% *}
        if [[ $st == "$want" ]]; then
            printf 'ok %s (status %s)\n' "$name" "$st"
            pass=$((pass + 1))
        else
            printf 'FAIL %s: status %s, expected %s\n' "$name" "$st" "$want"
            sed 's/^/  | /' "$tmp/err" | head -10
            fail=$((fail + 1))
        fi
        continue
    fi
    if [[ $st != 0 || -s $tmp/err ]]; then
        printf 'FAIL %s: status %s\n' "$name" "$st"
        sed 's/^/  | /' "$tmp/err" | head -10
        fail=$((fail + 1))
        continue
    fi
    if [[ $deterministic == *" $name "* ]] && command -v python3 >/dev/null 2>&1; then
        if ! python3 "$f" >"$tmp/py" 2>/dev/null </dev/null ||
                ! diff -u <(grep -v '^timing:' "$tmp/py") <(grep -v '^timing:' "$tmp/out") >"$tmp/diff"; then
            printf 'FAIL %s: output differs from python3\n' "$name"
            sed 's/^/  /' "$tmp/diff" | head -20
            fail=$((fail + 1))
            continue
        fi
    fi
    printf 'ok %s\n' "$name"
    pass=$((pass + 1))
done
# Properties under other GIL models.
prop() {  # prop NAME PATTERN COMMAND... -- COMMAND succeeds, prints nothing on stderr, matches PATTERN
    local name=$1 pattern=$2
    shift 2
    local st=0
    timeout 120 "$@" >"$tmp/out" 2>"$tmp/err" </dev/null || st=$?
    if [[ $st == 0 && ! -s $tmp/err ]] && grep -qE -- "$pattern" "$tmp/out"; then
        printf 'ok %s\n' "$name"
        pass=$((pass + 1))
    else
        printf 'FAIL %s: status %s\n' "$name" "$st"
        sed 's/^/  | /' "$tmp/out" "$tmp/err" | head -10
        fail=$((fail + 1))
    fi
}
# One append is one operation under one lock: nothing lost, even when the GIL
# may change hands between any two instructions.
prop shared_list-any-instruction '^every item exactly once: True$' \
    "$gilvm" --gil-model=cpython3.2 --switch-every=20 "$root/samples/shared_list.py"
# Check-then-act under the account's lock stays consistent even when the GIL
# may change hands between any two instructions.
prop bank_transfer-locked-any-instruction '^consistent: True$' \
    "$gilvm" --gil-model=cpython3.2 --switch-every=20 "$root/samples/bank_transfer.py" --locked
# Every model lets a sleeping thread back in next to a CPU-bound one.
for model in cpython3.10 cpython3.2 cpython2 micropython ruby; do
    prop "gil_convoy-$model" '^woke 5 \+ 5 times; CPU thread stopped when asked: True$' \
        "$gilvm" --gil-model=$model "$root/samples/gil_convoy.py" 5
done
printf '%d passed, %d failed\n' "$pass" "$fail"
((fail == 0))
