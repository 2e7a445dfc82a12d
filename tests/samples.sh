#!/usr/bin/env bash
# tests/samples.sh GILVM -- every sample runs (status 0, nothing on stderr,
# except the samples that demonstrate a failure: their status is listed in
# $expected_status); the samples whose output timing and races cannot change
# print exactly what python3 prints.
set -uo pipefail
gilvm=$1
[[ $gilvm == */* ]] || gilvm=./$gilvm
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
deterministic=" hello lost_update lost_update_lock producer_consumer refcount refcount_race sync_primitives deadlock_fixed "
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
        if ! python3 "$f" >"$tmp/py" 2>/dev/null </dev/null || ! diff -u "$tmp/py" "$tmp/out" >"$tmp/diff"; then
            printf 'FAIL %s: output differs from python3\n' "$name"
            sed 's/^/  /' "$tmp/diff" | head -20
            fail=$((fail + 1))
            continue
        fi
    fi
    printf 'ok %s\n' "$name"
    pass=$((pass + 1))
done
printf '%d passed, %d failed\n' "$pass" "$fail"
((fail == 0))
