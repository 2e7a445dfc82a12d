#!/usr/bin/env bash
# tests/gil.sh GILVM -- GIL behaviour from the command line, asserted by
# properties that hold in every run (never by timing):
#   default preemption (back-edges and calls): `counter += 1` loses nothing;
#   --preempt=instruction --switch-every=N: updates are lost;
#   flag validation.
set -uo pipefail
gilvm=$1
[[ $gilvm == */* ]] || gilvm=./$gilvm
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
sample=$root/samples/lost_update.py
pass=0 fail=0
ok() { printf 'ok %s\n' "$1"; pass=$((pass + 1)); }
bad() { printf 'FAIL %s: %s\n' "$1" "$2"; fail=$((fail + 1)); }

out=$("$gilvm" "$sample" 2>&1)
[[ $out == *"actual 1,000,000  lost 0 "* ]] && ok default-no-loss || bad default-no-loss "$out"

out=$("$gilvm" --gil --preempt=instruction --switch-every=20 "$sample" 2>&1)
if [[ $out =~ lost\ ([0-9,]+) ]] && [[ ${BASH_REMATCH[1]} != 0 ]]; then
    ok instruction-preemption-loses
else
    bad instruction-preemption-loses "$out"
fi

out=$("$gilvm" --preempt=backedge --switch-every=20 "$sample" 2>&1)
[[ $out == *"lost 0 "* ]] && ok backedge-switch-every-no-loss || bad backedge-switch-every-no-loss "$out"

out=$("$gilvm" --switch-interval=0.5 -c 'import sys; print(sys.getswitchinterval())' 2>&1)
[[ $out == "0.0005" ]] && ok switch-interval || bad switch-interval "$out"
out=$("$gilvm" -c 'import sys; sys.setswitchinterval(0.002); print(sys.getswitchinterval(), sys._is_gil_enabled())' 2>&1)
[[ $out == "0.002 True" ]] && ok setswitchinterval || bad setswitchinterval "$out"

for args in "--preempt=sometimes" "--switch-every=0" "--switch-every=x" "--switch-interval=-1"; do
    st=0
    err=$("$gilvm" $args -c 'pass' 2>&1 >/dev/null) || st=$?
    if [[ $st == 2 && $err == *"${args%%=*}"* ]]; then ok "usage $args"; else bad "usage $args" "status $st: $err"; fi
done

printf '%d passed, %d failed\n' "$pass" "$fail"
((fail == 0))
