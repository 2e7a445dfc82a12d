#!/usr/bin/env bash
# tests/free_threaded.sh GILVM -- --free-threaded from the command line,
# asserted by properties that hold in every run on 2+ cores (never timing):
#   counter += 1 from 10 threads loses updates; with a Lock it is exact;
#   bank_transfer's check-then-act goes wrong; with --locked it is python3's output;
#   eight threads hammering one list, dict, set, global and closure cell for
#   HAMMER_SECONDS (default 10) lose no item and corrupt nothing;
#   every sample runs without a GIL (status 0, nothing on stderr), and the
#   deterministic ones print what python3 prints.
set -uo pipefail
gilvm=$1
[[ $gilvm == */* ]] || gilvm=./$gilvm
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
seconds=${HAMMER_SECONDS:-10}
pass=0 fail=0
ok() { printf 'ok %s\n' "$1"; pass=$((pass + 1)); }
bad() { printf 'FAIL %s: %s\n' "$1" "$2"; fail=$((fail + 1)); }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

out=$("$gilvm" --free-threaded -c 'import sys; print(sys._is_gil_enabled())' 2>&1)
[[ $out == False ]] && ok is-gil-enabled || bad is-gil-enabled "$out"

out=$("$gilvm" --free-threaded "$root/samples/lost_update.py" 2>&1)
if [[ $out =~ actual\ ([0-9,]+) ]] && [[ ${BASH_REMATCH[1]} != 1,000,000 ]]; then
    ok lost-update-loses
else
    bad lost-update-loses "$out"
fi

# Check-then-act on an attribute: the bank goes wrong without a lock (a race:
# up to three tries), never with one (the same lines as python3).
bank_ok=0
for try in 1 2 3; do
    out=$("$gilvm" --free-threaded "$root/samples/bank_transfer.py" 2>&1)
    [[ $out == *"consistent: False"* ]] && { bank_ok=1; break; }
done
((bank_ok)) && ok bank-transfer-races || bad bank-transfer-races "$out"
out=$("$gilvm" --free-threaded "$root/samples/bank_transfer.py" --locked 2>&1)
if [[ $out == *"consistent: True"* ]] && { ! command -v python3 >/dev/null 2>&1 ||
        [[ $out == "$(python3 "$root/samples/bank_transfer.py" --locked 2>&1)" ]]; }; then
    ok bank-transfer-locked
else
    bad bank-transfer-locked "$out"
fi

out=$("$gilvm" --free-threaded "$root/samples/lost_update_lock.py" 2>&1)
[[ $out == *"actual 1,000,000  lost 0"* ]] && ok lock-exact || bad lock-exact "$out"

st=0
timeout 120 "$gilvm" --free-threaded "$root/tests/stress/hammer.py" "$seconds" >"$tmp/out" 2>"$tmp/err" || st=$?
if [[ $st == 0 && ! -s $tmp/err ]] && ! grep -q False "$tmp/out" && [[ $(grep -c True "$tmp/out") == 7 ]]; then
    ok "hammer-${seconds}s"
else
    bad "hammer-${seconds}s" "status $st: $(cat "$tmp/out" "$tmp/err" | head -20)"
fi

# The same hammering under the GIL: nothing lost either (and no lost update).
st=0
timeout 120 "$gilvm" --gil "$root/tests/stress/hammer.py" 2 >"$tmp/out" 2>"$tmp/err" || st=$?
if [[ $st == 0 && ! -s $tmp/err ]] && [[ $(grep -c True "$tmp/out") == 7 ]]; then
    ok hammer-gil-2s
else
    bad hammer-gil-2s "status $st: $(cat "$tmp/out" "$tmp/err" | head -20)"
fi

# --naive-refcount: the shadow counts go wrong without a GIL (a race, so up
# to five tries), never under it.
naive_ok=0
for try in 1 2 3 4 5; do
    err=$("$gilvm" --free-threaded --naive-refcount "$root/samples/refcount_race.py" 10000 2>&1 >/dev/null)
    if [[ $err =~ still\ in\ use:\ ([0-9,]+) ]] && [[ ${BASH_REMATCH[1]} != 0 ]]; then
        naive_ok=1
        break
    fi
done
((naive_ok)) && ok naive-refcount-free-goes-wrong || bad naive-refcount-free-goes-wrong "$err"
err=$("$gilvm" --gil --naive-refcount "$root/samples/refcount_race.py" 2>&1 >/dev/null)
if [[ $err == *"still in use: 0"* && $err == *"not zero:         0"* ]]; then
    ok naive-refcount-gil-exact
else
    bad naive-refcount-gil-exact "$err"
fi

deterministic=" hello lost_update_lock producer_consumer refcount refcount_race sync_primitives deadlock_fixed "
for f in "$root"/samples/*.py; do
    name=$(basename "$f" .py)
    st=0
    timeout 120 "$gilvm" --free-threaded "$f" >"$tmp/out" 2>"$tmp/err" </dev/null || st=$?
    if [[ $name == deadlock ]]; then   # the deadlock report, in this mode too
        [[ $st == 3 ]] && ok "sample-$name" || bad "sample-$name" "status $st, want 3"
        continue
    fi
    if [[ $st != 0 || -s $tmp/err ]]; then
        bad "sample-$name" "status $st: $(head -5 "$tmp/err")"
        continue
    fi
    if [[ $deterministic == *" $name "* ]] && command -v python3 >/dev/null 2>&1; then
        python3 "$f" >"$tmp/py" 2>/dev/null </dev/null
        if ! diff -u "$tmp/py" "$tmp/out" >"$tmp/diff"; then
            bad "sample-$name" "output differs from python3: $(head -20 "$tmp/diff")"
            continue
        fi
    fi
    ok "sample-$name"
done

printf '%d passed, %d failed\n' "$pass" "$fail"
((fail == 0))
